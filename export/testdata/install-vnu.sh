#!/bin/sh
# Installs the W3C Nu HTML checker (vnu.jar, run with Java 8+) for the
# export package's HTML test, and prints the variable to export:
#
#   eval "$(sh export/testdata/install-vnu.sh /opt/vnu)"
#   FACTDESK_TEST_STRICT=1 go test ./export -run HTML
set -eu
dir=${1:-"${TMPDIR:-/tmp}/factdesk-vnu"}
mkdir -p "$dir"
cd "$dir"
if [ ! -f node_modules/vnu-jar/build/dist/vnu.jar ]; then
	npm install --no-audit --no-fund --silent vnu-jar >&2
fi
echo "export FACTDESK_VNU_JAR=$dir/node_modules/vnu-jar/build/dist/vnu.jar"
