#!/usr/bin/env python3
"""Runs the README's scoring-service examples verbatim against a real `kpi serve`: every `sh`
block of the section "评分服务" that calls curl (the port replaced by a free one), checking that
each command succeeds and that the tampered report's verification prints exactly the JSON the
README shows; then compiles and runs the Java example when `javac` is there.

    python3 tests/tools/check_readme_serve.py [path/to/kpi]      # default target/release/kpi
"""
import os, pathlib, re, shutil, subprocess, sys, tempfile

root = pathlib.Path(__file__).resolve().parents[2]
kpi = sys.argv[1] if len(sys.argv) > 1 else str(root / "target/release/kpi")
readme = (root / "README.md").read_text(encoding="utf-8")
section = readme[readme.index("### 评分服务"):]
section = section[:section.index("\n## ", 1)]
blocks = re.findall(r"```(\w+)\n(.*?)```", section, re.S)
curl_blocks = [b for lang, b in blocks if lang == "sh" and "curl" in b]
json_after_tamper = next(b for lang, b in blocks if lang == "json")
java = next(b for lang, b in blocks if lang == "java")
passed = failed = 0


def result(ok, label, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print(f"ok   {label}")
    else:
        failed += 1
        print(f"FAIL {label}: {detail}")


proc = subprocess.Popen([kpi, "serve", "--listen", "127.0.0.1:0"], cwd=root,
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
work = pathlib.Path(tempfile.mkdtemp(prefix="kpi-readme-"))
try:
    host = proc.stdout.readline().strip().removeprefix("http://")
    for d in ["examples", "tests"]:
        os.symlink(root / d, work / d)
    for k, block in enumerate(curl_blocks):
        script = "set -euo pipefail\n" + block.replace("127.0.0.1:8787", host)
        run = subprocess.run(["bash", "-c", script], cwd=work, capture_output=True, text=True)
        result(run.returncode == 0, f"README curl block {k + 1} ({len(block.splitlines())} lines)",
               run.stderr[-500:])
        if "tampered.json" in block:
            result(run.stdout.strip() == json_after_tamper.strip(),
                   "the tampered report's verification prints what the README shows", run.stdout[-800:])
    result((work / "report.json").read_text(encoding="utf-8").startswith('{\n  "format": "kpi-report/1"'),
           "report.json is a report")
    if shutil.which("javac") and shutil.which("java"):
        (work / "KpiScore.java").write_text(java.replace("127.0.0.1:8787", host), encoding="utf-8")
        build = subprocess.run(["javac", "KpiScore.java"], cwd=work, capture_output=True, text=True)
        result(build.returncode == 0, "the Java example compiles", build.stderr[-500:])
        env = {k: v for k, v in os.environ.items() if k != "KPI_API_TOKEN"}
        run = subprocess.run(["java", "-cp", ".", "KpiScore"], cwd=work, capture_output=True,
                             text=True, env=env)
        result(run.stdout.strip() == "200 总分 89.15", "the Java example prints 200 总分 89.15",
               run.stdout + run.stderr[-500:])
    else:
        print("skipped: the Java example (no javac)")
finally:
    proc.terminate()
    proc.wait(timeout=30)
    shutil.rmtree(work, ignore_errors=True)
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
