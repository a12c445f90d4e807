"""`make test` on a contributor's laptop and on CI's Debian machines.

`make test` installs no system package: tests/system-deps.sh says what is missing
(Chromium, a Java that runs, Node.js and npm) and how to get it on Debian, Ubuntu,
macOS or another system. `make deps-debian`, which .ci/run calls, installs Debian's
packages for what is missing. An older Python than the locks hold for is refused with
a message. Each is run here against stub commands on PATH, in a temporary folder.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from helpers import ROOT

MAKE = shutil.which("make") or "make"
SYSTEM_DEPS = ROOT / "tests" / "system-deps.sh"
MAKEFILE = ROOT / "Makefile"
SH = shutil.which("sh") or "/bin/sh"


def stub(folder: Path, name: str, script: str) -> Path:
    """An executable `name` in `folder` that runs the shell `script`."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_text(f"#!{SH}\n{script}\n", encoding="utf-8")
    path.chmod(0o755)
    return path


def system(tmp_path: Path, *, uname: str = "Linux", os_release: str = "ID=debian\n",
           java: str | None = "exit 0", node: bool = True, npm: bool = True,
           chromium: bool = True) -> dict[str, str]:
    """The environment of a machine made of stubs: PATH holds only what is asked for."""
    bin_dir = tmp_path / "bin"
    stub(bin_dir, "uname", f"echo {uname}")
    if java is not None:
        stub(bin_dir, "java", java)
    for name, there in (("node", node), ("npm", npm)):
        if there:
            stub(bin_dir, name, "exit 0")
    # A path with a space, as macOS's "Google Chrome.app" has: it must be quoted.
    browser = tmp_path / "Google Chrome.app" / "chrome"
    if chromium:
        stub(browser.parent, browser.name, "exit 0")
    release = tmp_path / "os-release"
    release.write_text(os_release, encoding="utf-8")
    return {"PATH": str(bin_dir), "CHROMIUM_PATH": str(browser), "OS_RELEASE": str(release),
            "HOME": str(tmp_path)}


def deps(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SH, str(SYSTEM_DEPS)], env=env, capture_output=True, text=True,
                          timeout=30, check=False)


# --- what is missing, and how to get it ------------------------------------------


def test_nothing_is_said_when_everything_is_there(tmp_path: Path) -> None:
    result = deps(system(tmp_path))
    assert (result.returncode, result.stdout, result.stderr) == (0, "", "")


def test_debian_is_told_to_run_make_deps_debian(tmp_path: Path) -> None:
    result = deps(system(tmp_path, java=None, chromium=False))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("missing: Chromium at '") and "Google Chrome.app/chrome'" in lines[0]
    assert lines[1] == ("missing: a Java runtime: no 'java' on PATH (the Nu HTML Checker runs on "
                        "Java 11 or newer)")
    assert "    make deps-debian    # apt-get install chromium default-jre-headless nodejs npm" in lines
    assert "brew" not in result.stdout and "snap" not in result.stdout


def test_a_java_that_does_not_run_is_missing(tmp_path: Path) -> None:
    """macOS has a /usr/bin/java stub that only says no runtime is installed."""
    env = system(tmp_path, uname="Darwin", os_release="",
                 java='echo "The operation couldn’t be completed. Unable to locate a Java Runtime." >&2; exit 1')
    result = deps(env)
    assert result.returncode == 1
    assert result.stdout.splitlines()[0] == ("missing: a Java runtime: 'java -version' fails (the Nu "
                                             "HTML Checker runs on Java 11 or newer)")
    assert "    brew install openjdk" in result.stdout
    assert "brew install --cask chromium" not in result.stdout, "only what is missing"
    assert "apt-get" not in result.stdout


def test_macos_gets_homebrew_commands(tmp_path: Path) -> None:
    result = deps(system(tmp_path, uname="Darwin", os_release="", chromium=False, node=False, npm=False))
    assert result.returncode == 1
    assert "On macOS, with Homebrew:" in result.stdout
    for line in ("    brew install --cask chromium", "    brew install node",
                 '    export CHROMIUM_PATH="/Applications/Chromium.app/Contents/MacOS/Chromium"'):
        assert line in result.stdout.splitlines(), line


def test_ubuntu_gets_chromium_from_snap(tmp_path: Path) -> None:
    env = system(tmp_path, os_release='NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', chromium=False, npm=False)
    result = deps(env)
    assert result.returncode == 1
    assert "    sudo snap install chromium && export CHROMIUM_PATH=/snap/bin/chromium" in result.stdout
    assert "make deps-debian" not in result.stdout, "Ubuntu has no chromium package"


def test_another_system_gets_plain_words(tmp_path: Path) -> None:
    result = deps(system(tmp_path, os_release='ID="fedora"\nID_LIKE="rhel centos"\n', node=False))
    assert result.returncode == 1
    assert result.stdout.splitlines()[0].startswith("missing: 'node' on PATH")
    assert "Node.js with npm, from your system's packages" in result.stdout
    assert "apt-get" not in result.stdout and "brew" not in result.stdout


# --- make deps-debian, and nothing else, installs ----------------------------------


def _recipes(text: str) -> dict[str, str]:
    """Each target's recipe, by target."""
    found: dict[str, str] = {}
    for match in re.finditer(r"^([^\s:#=][^:=\n]*):(?!=)[^\n]*\n((?:\t[^\n]*\n)*)", text, re.M):
        found[match[1].strip()] = match[2]
    return found


def test_only_deps_debian_installs_system_packages():
    recipes = _recipes(MAKEFILE.read_text(encoding="utf-8"))
    installing = sorted(t for t, r in recipes.items() if re.search(r"apt-get|sudo|brew |snap ", r))
    assert installing == ["deps-debian"]
    assert "$(MAKE)" not in recipes["test"] and "deps-check" in MAKEFILE.read_text().split("\ntest:")[1].split("\n")[0]


def test_ci_installs_debians_packages_then_tests():
    lines = [line for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert lines[-2:] == ["make deps-debian", "make test"]


def run_make(target: str, env: dict[str, str], **variables: str) -> subprocess.CompletedProcess[str]:
    """`make target` from the repository; PATH gets the real `sed` the Makefile reads
    pyproject.toml with, and nothing else."""
    sed = Path(env["PATH"].split(os.pathsep)[0]) / "sed"
    if not sed.exists():
        sed.parent.mkdir(parents=True, exist_ok=True)
        sed.symlink_to(shutil.which("sed") or "/bin/sed")
    args = [MAKE, "--no-print-directory", "-C", str(ROOT), target, *(f"{k}={v}" for k, v in variables.items())]
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize("user", ["0", "1000"])
def test_deps_debian_installs_only_what_is_missing(tmp_path: Path, user: str) -> None:
    env = system(tmp_path, java="exit 1", npm=False)
    calls = tmp_path / "calls"
    bin_dir = Path(env["PATH"])
    stub(bin_dir, "id", f"echo {user}")
    stub(bin_dir, "apt-get", f'echo "apt-get $*" >> "{calls}"')
    stub(bin_dir, "sudo", f'echo "sudo" >> "{calls}"; exec "$@"')
    result = run_make("deps-debian", env)
    assert result.returncode == 0, result.stdout + result.stderr
    expected = ["apt-get update -qq", "apt-get install -y -qq default-jre-headless npm"]
    if user != "0":
        expected = ["sudo", expected[0], "sudo", expected[1]]
    assert calls.read_text(encoding="utf-8").splitlines() == expected
    assert re.search(r"^deps-debian: (sudo )?apt-get install default-jre-headless npm$", result.stdout, re.M)


def test_deps_debian_does_nothing_when_all_is_there(tmp_path: Path) -> None:
    env = system(tmp_path)
    stub(Path(env["PATH"]), "apt-get", "echo called; exit 1")
    result = run_make("deps-debian", env)
    assert (result.returncode, result.stdout) == (0, "deps-debian: nothing to install\n"), result.stderr


# --- the Python the locks hold for -------------------------------------------------


def fake_python(tmp_path: Path, version: tuple[int, int, int]) -> Path:
    """A `python` that says it is `version`: it runs the real one with sys.version_info set."""
    real = shutil.which("python3") or "python3"
    text = ".".join(map(str, version))
    return stub(tmp_path / "py", f"python{text}",
                f'if [ "$1" = "--version" ]; then echo "Python {text}"; exit 0; fi\n'
                f'exec "{real}" -c "import sys; sys.version_info = {version!r}; exec(sys.argv[1])" "$2"')


def test_an_older_python_is_refused_with_a_message(tmp_path: Path) -> None:
    result = run_make("python-version", dict(os.environ), PYTHON=str(fake_python(tmp_path, (3, 11, 2))))
    assert result.returncode != 0
    assert result.stdout.startswith("make: Python 3.11.2 is older than Python 3.11.5, the oldest the "
                                    "lock files in requirements/ hold for\n"), result.stdout


def test_the_oldest_accepted_python_passes(tmp_path: Path) -> None:
    for version in ((3, 11, 5), (3, 14, 0)):
        result = run_make("python-version", dict(os.environ), PYTHON=str(fake_python(tmp_path, version)))
        assert (result.returncode, result.stdout) == (0, ""), result.stdout + result.stderr


def test_a_missing_python_is_named(tmp_path: Path) -> None:
    result = run_make("python-version", dict(os.environ), PYTHON="python3.99")
    assert result.returncode != 0
    assert result.stdout.startswith("make: no 'python3.99' on PATH; install Python 3.11.5 or newer")
