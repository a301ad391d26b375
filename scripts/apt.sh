# Packages from Debian's archive, for the scripts that fetch what the
# kernel tests need.  Source this file, then:
#
#   apt_need PKG...           install those not installed (as root, without
#                             recommends); prints what it did on stderr
#   apt_mipsel_init CACHE     read the mipsel package lists into
#                             CACHE/apt-mipsel (a private apt configuration,
#                             Debian's own archives only: mipsel packages
#                             cannot be co-installed with the native
#                             compiler's, so they are downloaded, never
#                             installed)
#   apt_mipsel DIR PKG...     download PKG (the newest) for mipsel into DIR
#   apt_src_init CACHE        read the source package lists (deb-src of the
#                             machine's own Debian archives) into
#                             CACHE/apt-src, a private configuration
#   apt_src DIR PKG...        download and unpack the source of PKG in DIR
#
# $APTM holds the mipsel options, for apt-cache queries.  Each returns
# non-zero, with the reason on stderr, when it cannot do it.

apt_need() {
	_missing=
	for _p in "$@"; do
		case $(dpkg-query -W -f='${db:Status-Abbrev}' "$_p" 2>/dev/null || true) in
		ii*) ;;
		*) _missing="$_missing $_p" ;;
		esac
	done
	[ -n "$_missing" ] || return 0
	if [ "$(id -u)" -ne 0 ]; then
		echo "missing packages:$_missing (run as root)" >&2
		return 1
	fi
	echo "installing:$_missing" >&2
	# shellcheck disable=SC2086
	{ DEBIAN_FRONTEND=noninteractive apt-get -q update &&
	  DEBIAN_FRONTEND=noninteractive apt-get -q install -y \
		--no-install-recommends $_missing; } >&2 || {
		echo "cannot install$_missing (is the Debian mirror reachable?)" >&2
		return 1
	}
}

apt_mipsel_init() {
	_a=$1/apt-mipsel
	mkdir -p "$_a/etc" "$_a/lists/partial" "$_a/cache/archives/partial"
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(ORIGIN)' \
		'Created-By: Packages' |
		awk '$4 == "Debian" { print "deb [arch=mipsel signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] " $1 " " $2 " " $3 }' |
		sort -u >"$_a/etc/sources.list"
	[ -s "$_a/etc/sources.list" ] || return 1
	APTM="-o Dir::Etc::SourceList=$_a/etc/sources.list
	      -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$_a/lists
	      -o Dir::Cache=$_a/cache -o Dir::State::status=/dev/null
	      -o APT::Architecture=mipsel -o APT::Architectures::=mipsel
	      -o APT::Sandbox::User=root"
	# Read the lists once; a later run reuses them.
	[ -f "$_a/.updated" ] && return 0
	# shellcheck disable=SC2086
	apt-get -q $APTM update >&2 && touch "$_a/.updated"
}

apt_mipsel() {
	_dir=$1
	shift
	mkdir -p "$_dir"
	# shellcheck disable=SC2086
	(cd "$_dir" && apt-get -q $APTM download "$@" >&2) && return 0
	# The lists may be older than the archive: read them again, once.
	# shellcheck disable=SC2086
	apt-get -q $APTM update >&2 &&
		(cd "$_dir" && apt-get -q $APTM download "$@" >&2)
}

apt_src_init() {
	_a=$1/apt-src
	mkdir -p "$_a/etc" "$_a/lists/partial" "$_a/cache/archives/partial"
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(ORIGIN)' \
		'Created-By: Packages' |
		awk '$4 == "Debian" { print "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] " $1 " " $2 " " $3 }' |
		sort -u >"$_a/etc/sources.list"
	[ -s "$_a/etc/sources.list" ] || return 1
	APTS="-o Dir::Etc::SourceList=$_a/etc/sources.list
	      -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$_a/lists
	      -o Dir::Cache=$_a/cache -o APT::Sandbox::User=root"
	[ -f "$_a/.updated" ] && return 0
	# shellcheck disable=SC2086
	apt-get -q $APTS update >&2 && touch "$_a/.updated"
}

apt_src() {
	_dir=$1
	shift
	mkdir -p "$_dir"
	# shellcheck disable=SC2086
	(cd "$_dir" && apt-get -q $APTS source "$@" >&2) && return 0
	# shellcheck disable=SC2086
	apt-get -q $APTS update >&2 &&
		(cd "$_dir" && apt-get -q $APTS source "$@" >&2)
}
