#!/usr/bin/env python3
"""Writes a manifest-only JAR whose Class-Path lists the entries of a class-path file.

java -cp with the full Maven class path (~145 jars, ~13 kB) makes ONNX Runtime 1.29's native
initialisation crash (SIGSEGV in OrtEnvironment.getEnvironment, no hs_err file) on this machine;
a short -cp through a pathing jar (what Surefire does) avoids it.
Usage: pathing-jar.py CLASSPATH_FILE OUT_JAR [extra entries...]
"""
import os, sys, zipfile, urllib.request

def wrap(line):
    b = line.encode()
    out, first = [], True
    while b:
        n = 72 if first else 71
        out.append((b"" if first else b" ") + b[:n])
        b, first = b[n:], False
    return b"\r\n".join(out) + b"\r\n"

cp_file, out_jar, extra = sys.argv[1], sys.argv[2], sys.argv[3:]
entries = extra + [e for e in open(cp_file).read().strip().split(os.pathsep) if e]
urls = []
for e in entries:
    p = os.path.abspath(e)
    u = "file://" + urllib.request.pathname2url(p)
    if os.path.isdir(p):
        u += "/"
    urls.append(u)
mf = b"Manifest-Version: 1.0\r\n" + wrap("Class-Path: " + " ".join(urls)) + b"\r\n"
with zipfile.ZipFile(out_jar, "w") as z:
    z.writestr("META-INF/MANIFEST.MF", mf)
