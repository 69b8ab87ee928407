#!/usr/bin/env python3
"""Public items without a code example, as rustdoc's JSON output shows them.

rustdoc's `missing_doc_code_examples` lint checks only items reached by their own public
path: an item re-exported from a private module (`h1_std::Response`, most of `h1`) and the
methods `h1-common`'s macros write into the drivers are not seen. This walks each crate's
public API as rustdoc's JSON gives it, re-exports followed, and lists the functions,
methods, structs, enums, unions, traits and macros whose docs hold no Rust code block.

    doc_examples.py list CRATE.json...          print them, one path a line
    doc_examples.py check KNOWN CRATE.json...   fail on one not in KNOWN (a new item with
                                                no example), and on a KNOWN line that
                                                now has one (take it off the list)
"""
import json
import re
import sys

RUST_TOKENS = {"rust", "no_run", "should_panic", "compile_fail", "test_harness", "standalone_crate"}


def has_example(docs):
    """True when `docs` hold a fenced code block rustdoc takes as Rust (not `ignore`)."""
    inside = False
    for line in (docs or "").splitlines():
        s = line.strip()
        if s.startswith("```") or s.startswith("~~~"):
            if inside:
                inside = False
                continue
            inside = True
            tokens = [t for t in re.split(r"[,\s]+", s.lstrip("`~").strip()) if t]
            if all(t in RUST_TOKENS or t.startswith("edition") for t in tokens):
                return True
    return False


def missing(path):
    doc = json.load(open(path))
    index = doc["index"]
    crate = index[str(doc["root"])]["name"]
    seen, out = set(), set()

    def item(i):
        return index.get(str(i))

    def want(it, where):
        if not has_example(it.get("docs")):
            out.add(where)

    def visit(i, where):
        if i in seen:
            return
        seen.add(i)
        it = item(i)
        if it is None or it.get("crate_id") != 0:
            return  # another crate's: checked there
        (kind, inner), = it["inner"].items()
        if kind == "module":
            for c in inner["items"]:
                child = item(c)
                name = child and child.get("name")
                if child and "use" in child["inner"]:
                    name = child["inner"]["use"]["name"]
                visit(c, f"{where}::{name}" if i != doc["root"] else f"{crate}::{name}")
        elif kind == "use":
            target = inner.get("id")
            if target is None:
                return
            tgt = item(target)
            if tgt and inner.get("is_glob") and "module" in tgt["inner"]:
                for c in tgt["inner"]["module"]["items"]:
                    visit(c, where.rsplit("::", 1)[0] + "::" + (item(c) or {}).get("name", "?"))
            else:
                visit(target, where)
        elif kind in ("struct", "enum", "union"):
            want(it, where)
            for imp in inner.get("impls", []):
                im = item(imp)
                if im is None or im.get("crate_id") != 0:
                    continue
                ii = im["inner"]["impl"]
                if ii.get("trait") is None and not ii.get("is_synthetic") and ii.get("blanket_impl") is None:
                    for c in ii["items"]:
                        ci = item(c)
                        if ci and ci.get("visibility") == "public" and "function" in ci["inner"]:
                            want(ci, f"{where}::{ci['name']}")
        elif kind == "trait":
            want(it, where)
            for c in inner["items"]:
                ci = item(c)
                if ci and "function" in ci["inner"]:
                    want(ci, f"{where}::{ci['name']}")
        elif kind in ("function", "macro"):
            want(it, where)

    visit(doc["root"], crate)
    return out


def main(argv):
    if len(argv) >= 2 and argv[0] == "list":
        for p in argv[1:]:
            for line in sorted(missing(p)):
                print(line)
        return 0
    if len(argv) >= 3 and argv[0] == "check":
        known = {l.strip() for l in open(argv[1]) if l.strip() and not l.startswith("#")}
        found = set().union(*(missing(p) for p in argv[2:]))
        new, done = sorted(found - known), sorted(known - found)
        for line in new:
            print(f"no example: {line}")
        for line in done:
            print(f"has an example now (or is gone), take it off {argv[1]}: {line}")
        if new or done:
            return 1
        print(f"{len(found)} public items without an example, all listed")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
