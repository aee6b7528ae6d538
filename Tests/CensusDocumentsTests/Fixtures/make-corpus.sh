#!/usr/bin/env bash
# Regenerates corpus/ (committed): the mentions fixtures in their encodings. The texts are written
# here in UTF-8 and converted with iconv (glibc); the PDF is written by make-pdf.py.
# Expected counts are in README.md, worked out by hand from these texts.
set -euo pipefail
cd "$(dirname "$0")"
rm -rf corpus
mkdir -p corpus/jobs

# UTF-8 without BOM, in a subdirectory.
cat > corpus/jobs/2024-01-en-ad.md <<'TEXT'
---
title: Backend engineer
date: 2024-01-15
tags: [Go, Java]
---
We build services in Go and some Java.
Experience with Golang generics is a plus; Google Cloud too.
JavaScript is not Java.
TEXT

# UTF-8 with BOM.
{ printf '\xEF\xBB\xBF'; cat <<'TEXT'
---
date: "2024-01-20"
---
招聘Go语言工程师，熟悉Go和Kubernetes。
要求：三年以上Go开发经验。
TEXT
} > corpus/2024-01-zh-utf8bom.md

# UTF-16LE with BOM.
{ printf '\xFF\xFE'; iconv -f UTF-8 -t UTF-16LE <<'TEXT'
---
date: 2024-02-03
---
本项目使用Java和Go开发。
Java 17 以上。
TEXT
} > corpus/2024-02-zh-utf16le.txt

# UTF-16BE with BOM.
{ printf '\xFE\xFF'; iconv -f UTF-8 -t UTF-16BE <<'TEXT'
---
date: 2024-02-10
---
Go, Go, Go! Gopher fans welcome. Java? No.
TEXT
} > corpus/2024-02-en-utf16be.txt

# GB18030, no BOM; a Chinese date in the front matter.
iconv -f UTF-8 -t GB18030 > corpus/2024-03-zh-gb18030.txt <<'TEXT'
---
date: 2024年3月1日
---
采购内容：基于Golang的微服务平台，不接受Java方案。
TEXT

# HTML: entities, inline and block tags, a script and a style naming both patterns, a comment.
cat > corpus/2024-03-en-page.html <<'TEXT'
<!DOCTYPE html>
<html><head><meta charset="utf-8"><meta name="date" content="2024-03-15"><title>Jobs &amp; Go</title>
<style>.go { color: red } /* Go */</style>
<script>var lang = "Go"; if (x < 1) { Java(); }</script></head>
<body><p>We use <b>Go</b>lang&#32;&amp; Java&#x21;</p><p>Go</p><p>Java</p>
<!-- Go Java in a comment -->
<p>&lt;Go&gt; &#71;o &quot;Java&quot;</p></body></html>
TEXT

# A PDF written by hand (no front matter: its date comes from its name).
python3 make-pdf.py "Tender 2024-03: Go and Java services" > corpus/2024-03-tender.pdf

# Bad input: no date anywhere, NUL bytes, Latin-1 bytes that are neither UTF-8 nor GB18030.
printf 'Go and Java, but no date.\n' > corpus/nodate.md
printf -- '---\ndate: 2024-01-01\n---\nGo\0\0\0Java\n' > corpus/binary.txt
printf -- '---\ndate: 2024-01-01\n---\nCaf\xE9 Go \xFF Java\n' > corpus/broken-latin1.txt
# Not a document (ignored) and hidden (skipped).
printf 'Go,Java\n' > corpus/ignored.csv
printf -- '---\ndate: 2024-01-01\n---\nGo Java\n' > corpus/.hidden.md
