#!/bin/sh
# setup.sh prepares the lucene engine of the benchmark: it installs a JDK and
# Debian's Lucene 8 (as root, with apt-get) when they are missing, and
# compiles lucene/LuceneBench.java into lucene/build/, writing the class
# path it was compiled against to lucene/build/classpath. Without it (or
# without java or the jars) the benchmark skips the lucene engine and says
# so in its report.
#
#   sudo sh bench/setup.sh        # or as root: sh bench/setup.sh
set -eu
cd "$(dirname "$0")"

# The Lucene modules the program uses (highlighter needs memory and queries).
MODULES="core analyzers-common queryparser facet highlighter memory queries"

jar() { ls /usr/share/java/lucene-"$1"-[0-9]*.jar 2>/dev/null | sort -V | tail -n 1; }

missing=""
command -v javac >/dev/null 2>&1 || missing="javac"
for m in $MODULES; do
	[ -n "$(jar "$m")" ] || missing="$missing lucene-$m"
done
if [ -n "$missing" ]; then
	if [ "$(id -u)" != 0 ]; then
		echo "setup.sh: missing$missing; run as root to install default-jdk-headless and liblucene8-java" >&2
		exit 1
	fi
	apt-get update
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends default-jdk-headless liblucene8-java
fi

cp=""
for m in $MODULES; do
	j="$(jar "$m")"
	if [ -z "$j" ]; then
		echo "setup.sh: /usr/share/java/lucene-$m-*.jar not found after installing liblucene8-java" >&2
		exit 1
	fi
	cp="${cp:+$cp:}$j"
done
rm -rf lucene/build
mkdir -p lucene/build
javac -nowarn -d lucene/build -cp "$cp" lucene/LuceneBench.java
printf '%s\n' "$cp" >lucene/build/classpath
echo "setup.sh: compiled lucene/build/LuceneBench.class against $(dpkg-query -W -f '${Package} ${Version}' liblucene8-java 2>/dev/null || echo 'the jars in /usr/share/java')"
