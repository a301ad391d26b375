#!/bin/sh
# The legacy programs' own logic (short writes, random chunking, checksums,
# the difference diagnosis, poll loops, timeouts, usage and exit statuses)
# against rtlxloop, a pty stand-in for the channels: a test that their
# checks can fail, before they are trusted to judge fuse-vpe.
here=$(cd "$(dirname "$0")/.." && pwd)
: "${VPE_BUILD:=$here/../build}"
exec sh "$here/apps/testing/selftest.sh" "$VPE_BUILD/apps"
