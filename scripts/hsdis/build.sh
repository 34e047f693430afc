#!/usr/bin/env bash
# Builds target/hsdis/hsdis-amd64.so from hsdis-capstone.c (x86-64 only). Needs gcc and
# libcapstone-dev (apt-get install -y gcc libcapstone-dev). Then, for example:
#   LD_LIBRARY_PATH=target/hsdis java ... org.openjdk.jmh.Main SlotScanBench -prof "perfasm:events=cpu-clock"
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target/hsdis
gcc -O2 -shared -fPIC -o target/hsdis/hsdis-amd64.so scripts/hsdis/hsdis-capstone.c -lcapstone
echo "built target/hsdis/hsdis-amd64.so"
