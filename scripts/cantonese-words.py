#!/usr/bin/env python3
"""Writes api/data/cantonese-words.txt: the words of the Hong Kong Cantonese Corpus
(HKCanCor, CC BY, K. K. Luke and May L. Y. Wong) with their counts, from the copy shipped in
PyPI's pycantonese. The segmenter learns Cantonese words from it. Run by hand when the source
changes: pip download pycantonese==5.0.0 --no-deps -d /tmp/pyc, then this script with the
wheel's path."""
import collections
import re
import sys
import zipfile

WORD = re.compile(r"[\u3400-\u9fff\U00020000-\U0002ffff]{2,}")

counts = collections.Counter()
with zipfile.ZipFile(sys.argv[1]) as wheel:
    for name in wheel.namelist():
        if "/hkcancor/" in name and name.endswith(".cha"):
            for line in wheel.read(name).decode("utf-8").splitlines():
                if line.startswith("*"):
                    counts.update(w for w in line.split("\t", 1)[1].split() if WORD.fullmatch(w))
with open("api/data/cantonese-words.txt", "w", encoding="utf-8") as out:
    for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
        out.write(f"{word} {count}\n")
