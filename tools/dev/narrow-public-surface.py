#!/usr/bin/env python3
"""Narrows DbIntegrity.Core to the public surface its users need, and can be re-run at any time.

What it does, in order:
  1. every top-level `public` type in tools/DbIntegrity.Core becomes `internal` (nested types and members are left
     alone: their reach ends at their containing type);
  2. DbIntegrity.Core.csproj loses its InternalsVisibleTo for the CLI (`dbintegrity`); the ones for the test
     assemblies (DbIntegrity.Core.Tests, DbIntegrity.IntegrationTests) stay;
  3. it builds the whole solution (CLI, Simulator, Benchmarks and every test project, so the surface is what they
     use) and reads the compiler's accessibility errors: CS0122 (inaccessible), CS0050-CS0061 (inconsistent
     accessibility), CS0117 (an internal member seen from another assembly) and CS1061 (an extension method in an
     internal class is not found);
  4. it makes exactly the Core types (or, for a member that was already `internal` and used through the CLI's
     InternalsVisibleTo, exactly that member) named by those errors `public`, and builds again, until the build is
     green. Any other error stops it with the compiler's output.
Types the compiler cannot see a need for (e.g. found by reflection from another assembly) are listed in
tools/dev/public-surface-keep.txt, one full type name per line; they are made public in step 1 already.

Usage: tools/dev/narrow-public-surface.py [--from-current]   (from anywhere; needs the .NET SDK)
A full run takes one build per layer of the public signatures (about a dozen). --from-current skips step 1: it keeps
the types that are public now and only adds what the build asks for (after a merge, say); it never narrows.
At the end it prints the number of public top-level Core types before and after.
"""
import os
import re
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORE = os.path.join(ROOT, "tools", "DbIntegrity.Core")
CSPROJ = os.path.join(CORE, "DbIntegrity.Core.csproj")
KEEP = os.path.join(ROOT, "tools", "dev", "public-surface-keep.txt")
SOLUTION = os.path.join(ROOT, "DbIntegrity.sln")

TOP_LEVEL = re.compile(r"^(public|internal)( (?:(?:sealed|static|abstract|partial|readonly|unsafe) )*(?:class|record|struct|interface|enum|delegate) .*)$")
TYPE_NAME = re.compile(r"(?:class|record struct|record class|record|struct|interface|enum) (\w+)")
DELEGATE_NAME = re.compile(r"delegate .*? (\w+)\s*[<(]")
NAMESPACE = re.compile(r"^namespace ([\w.]+)\s*;", re.M)
ERROR = re.compile(r"^(?P<file>[^\s(][^(]*)\((?P<line>\d+),(?P<col>\d+)\): error (?P<code>CS\d{4}): (?P<msg>.*?)(?: \[[^\]]*\])?$")
INCONSISTENT = {"CS0050", "CS0051", "CS0052", "CS0053", "CS0054", "CS0055", "CS0056", "CS0057", "CS0058", "CS0059",
                "CS0060", "CS0061", "CS9338"}


def core_files():
    for folder, dirs, files in os.walk(CORE):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
        for name in sorted(files):
            if name.endswith(".cs"):
                yield os.path.join(folder, name)


def index_types():
    """Full name -> (file, line number) of every top-level type in Core."""
    types = {}
    for path in core_files():
        with open(path, encoding="utf-8") as f:
            text = f.read()
        ns = NAMESPACE.search(text)
        namespace = ns.group(1) if ns else ""
        for number, line in enumerate(text.split("\n")):
            m = TOP_LEVEL.match(line)
            if not m:
                continue
            name = (DELEGATE_NAME.search(line) if " delegate " in line else TYPE_NAME.search(line))
            if name:
                types[f"{namespace}.{name.group(1)}" if namespace else name.group(1)] = (path, number)
    return types


def set_modifier(path, number, modifier):
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    line = lines[number]
    new = re.sub(r"^(public|internal)\b", modifier, line)
    changed = new != line
    lines[number] = new
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("\n".join(lines))
    return changed


def is_public(path, number):
    with open(path, encoding="utf-8") as f:
        return f.read().split("\n")[number].startswith("public ")


def publish_member(path, member):
    """Makes an `internal` member (or nested type) of the file's top-level type public. True if something changed."""
    with open(path, encoding="utf-8", newline="") as f:
        lines = f.read().split("\n")
    pattern = re.compile(r"^(\s+)internal\b(.*\b" + re.escape(member) + r"\b.*)$")
    changed = False
    for i, line in enumerate(lines):
        m = pattern.match(line)
        if m:
            lines[i] = m.group(1) + "public" + m.group(2)
            changed = True
    if changed:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.write("\n".join(lines))
    return changed


def extension_classes(method):
    """Top-level Core static classes that declare an extension method with this name."""
    pattern = re.compile(r"\bstatic\b[^=;]*\b" + re.escape(method) + r"\s*(<[^>]*>)?\s*\(\s*this\b")
    for path in core_files():
        with open(path, encoding="utf-8") as f:
            if pattern.search(f.read()):
                yield path


def strip_symbol(symbol):
    """'A.B<T>.C(int, D)' -> 'A.B.C': drops parameter lists and type arguments."""
    depth, out = 0, []
    for ch in symbol:
        if ch in "<(":
            depth += 1
        elif ch in ">)":
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return "".join(out).strip()


def names_in(text):
    return re.findall(r"[A-Za-z_][\w.]*", text)


def build():
    args = ["dotnet", "build", SOLUTION, "-c", "Release", "--nologo", "-v:q", "-clp:NoSummary",
            "-p:RunAnalyzers=false", "-p:EnforceCodeStyleInBuild=false", "-p:TreatWarningsAsErrors=false"]
    result = subprocess.run(args, cwd=ROOT, capture_output=True, text=True)
    errors = set()
    for line in result.stdout.splitlines() + result.stderr.splitlines():
        m = ERROR.match(line.strip())
        if m:
            errors.add((m.group("code"), m.group("msg"), m.group("file"), m.group("line")))
    return result.returncode, errors, result.stdout + result.stderr


def main():
    types = index_types()
    before = sum(1 for path, number in types.values() if is_public(path, number))
    keep = set()
    if os.path.exists(KEEP):
        with open(KEEP, encoding="utf-8") as f:
            keep = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    unknown = keep - types.keys()
    if unknown:
        sys.exit(f"{KEEP} names types Core does not have: {', '.join(sorted(unknown))}")

    if "--from-current" not in sys.argv[1:]:
        for name, (path, number) in types.items():
            set_modifier(path, number, "public" if name in keep else "internal")
    for name in keep:
        set_modifier(*types[name], "public")

    with open(CSPROJ, encoding="utf-8", newline="") as f:
        csproj = f.read()
    csproj = re.sub(r'[ \t]*<InternalsVisibleTo Include="dbintegrity" />\r?\n', "", csproj)
    with open(CSPROJ, "w", encoding="utf-8", newline="") as f:
        f.write(csproj)

    by_simple = {}
    for name in types:
        by_simple.setdefault(name.rsplit(".", 1)[-1], []).append(name)

    def resolve(symbol):
        """(type full name, member or None) for a compiler symbol text, or None when it is not a Core type."""
        plain = strip_symbol(symbol)
        parts = plain.split(".")
        for cut in range(len(parts), 0, -1):
            head = ".".join(parts[:cut])
            if head in types:
                rest = parts[cut:]
                return head, (rest[0] if rest else None)
        if len(parts) <= 2 and parts[0] in by_simple and len(by_simple[parts[0]]) == 1:
            return by_simple[parts[0]][0], (parts[1] if len(parts) == 2 else None)
        return None

    rounds = 0
    while True:
        rounds += 1
        code, errors, output = build()
        if code == 0 and not errors:
            break
        changes, unhandled = [], []
        for error_code, message, file, line in sorted(errors):
            quoted = re.findall(r"'([^']*)'", message)
            handled = False
            if error_code == "CS0122" and quoted:
                found = resolve(quoted[0])
                if found:
                    name, member = found
                    path, number = types[name]
                    if not is_public(path, number):
                        set_modifier(path, number, "public")
                        changes.append(name)
                        handled = True
                    elif member and publish_member(path, member):
                        changes.append(f"{name}.{member}")
                        handled = True
            elif error_code in INCONSISTENT and quoted:
                for word in names_in(quoted[0]):
                    found = resolve(word)
                    if found:
                        path, number = types[found[0]]
                        if not is_public(path, number):
                            set_modifier(path, number, "public")
                            changes.append(found[0])
                            handled = True
            elif error_code == "CS0117" and len(quoted) >= 2:
                # An `internal` member of a Core type, seen from an assembly without InternalsVisibleTo.
                found = resolve(quoted[0])
                if found and publish_member(types[found[0]][0], quoted[1]):
                    changes.append(f"{found[0]}.{quoted[1]}")
                    handled = True
            elif error_code == "CS1061" and len(quoted) >= 2:
                for path in extension_classes(quoted[1]):
                    for name, (p, number) in types.items():
                        if p == path and not is_public(p, number):
                            set_modifier(p, number, "public")
                            changes.append(name)
                            handled = True
            if not handled:
                unhandled.append(f"{file}({line}): {error_code}: {message}")
        print(f"round {rounds}: {len(errors)} error(s), made public: {', '.join(sorted(set(changes))) or 'nothing'}", flush=True)
        if not changes:
            print("\n".join(sorted(set(unhandled))) or output, file=sys.stderr)
            sys.exit("The build fails for a reason this script does not fix (see above).")

    after = sum(1 for path, number in types.values() if is_public(path, number))
    print(f"Core public top-level types: {before} before, {after} after (of {len(types)}); {rounds} build(s).")


if __name__ == "__main__":
    main()
