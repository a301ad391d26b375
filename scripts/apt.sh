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

# _apt_private DIR TYPE [OPTION...]: a private apt configuration in DIR
# whose sources are this machine's own Debian archives as TYPE lines
# ("deb [arch=mipsel ...]", "deb-src [...]"); its options, with OPTIONs, in
# $_APT_OPTS; the lists read once (a later run reuses them)
_apt_private() {
	_d=$1 _t=$2
	shift 2
	mkdir -p "$_d/etc" "$_d/lists/partial" "$_d/cache/archives/partial"
	apt-get indextargets --format '$(REPO_URI) $(RELEASE) $(COMPONENT) $(ORIGIN)' \
		'Created-By: Packages' |
		awk -v t="$_t" '$4 == "Debian" { print t " " $1 " " $2 " " $3 }' |
		sort -u >"$_d/etc/sources.list"
	[ -s "$_d/etc/sources.list" ] || return 1
	_APT_OPTS="-o Dir::Etc::SourceList=$_d/etc/sources.list
	      -o Dir::Etc::SourceParts=/nonexistent -o Dir::State::Lists=$_d/lists
	      -o Dir::Cache=$_d/cache -o APT::Sandbox::User=root $*"
	[ -f "$_d/.updated" ] && return 0
	# shellcheck disable=SC2086
	apt-get -q $_APT_OPTS update >&2 && touch "$_d/.updated"
}

# _apt_in DIR OPTS COMMAND ARGS...: apt-get OPTS COMMAND ARGS in DIR; the
# lists may be older than the archive: on failure, read them again, once
_apt_in() {
	_dir=$1 _opts=$2
	shift 2
	mkdir -p "$_dir"
	# shellcheck disable=SC2086
	(cd "$_dir" && apt-get -q $_opts "$@" >&2) && return 0
	# shellcheck disable=SC2086
	apt-get -q $_opts update >&2 && (cd "$_dir" && apt-get -q $_opts "$@" >&2)
}

KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg

apt_mipsel_init() {
	_apt_private "$1/apt-mipsel" "deb [arch=mipsel signed-by=$KEYRING]" \
		-o Dir::State::status=/dev/null -o APT::Architecture=mipsel \
		-o APT::Architectures::=mipsel || return 1
	APTM=$_APT_OPTS
}

apt_mipsel() {
	_d=$1
	shift
	_apt_in "$_d" "$APTM" download "$@"
}

apt_src_init() {
	_apt_private "$1/apt-src" "deb-src [signed-by=$KEYRING]" || return 1
	APTS=$_APT_OPTS
}

apt_src() {
	_d=$1
	shift
	_apt_in "$_d" "$APTS" source "$@"
}
