#!/usr/bin/env bash
# Resolve the Apache Kafka broker jars (tools/kafka/pom.xml) from Maven Central into a cache
# directory outside the repository and print that directory. Needs a JDK (17+) and Maven.
#
#   tools/kafka/fetch-jars.sh [DIR]        default DIR: ~/.cache/newsstream/kafka-<version>/lib
#   NEWSSTREAM_KAFKA_LIB="$(tools/kafka/fetch-jars.sh)" NEWSSTREAM_TEST_BROKER=kafka make integration
#
# A directory that already holds the broker jar is reused as it is (no network).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
pom="$here/pom.xml"
version="${KAFKA_VERSION:-$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$pom")}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/newsstream/kafka-$version/lib"
dir="${1:-$cache}"

if [[ -f "$dir/kafka_2.13-$version.jar" ]]; then
    echo "$dir"
    exit 0
fi
command -v mvn >/dev/null || { echo "fetch-jars.sh: Maven (mvn) is not installed" >&2; exit 1; }

# Resolve into a sibling directory first, so an interrupted fetch never looks complete.
mkdir -p "$(dirname "$dir")"
partial="$(mktemp -d "$dir.partial.XXXXXX")"
trap 'rm -rf "$partial"' EXIT
mvn -q -B -Dstyle.color=never -f "$pom" -Dkafka.version="$version" \
    dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$partial" >&2
rm -rf "$dir"
mv "$partial" "$dir"
trap - EXIT
echo "$dir"
