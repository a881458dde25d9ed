"""Accessibility and HTML validity checks for the browser tests.

- `assert_no_axe_violations(page)` runs axe-core (npm package, `npm ci`) inside the page as it
  is now and fails on any violation of the rules axe enables by default (WCAG 2.x A and AA,
  and best practices), listing each rule, its impact and the elements concerned.
- `assert_fits_width(page)` fails when the page scrolls sideways (WCAG 1.4.10 at 320 px).
- `DocumentRecorder(page)` keeps the HTML the server sent for each page the browser loaded
  (the source, not the DOM the browser rebuilt from it), for:
- `assert_valid_html({"name": html, ...})` runs the Nu HTML Checker (npm `vnu-jar`, on Java)
  once over all the documents and fails on any error.

Missing tools skip the test with the command that installs them, or fail it when
REQUIRE_BROWSER=1 (CI).
"""

import json
import re
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from tests.tools import require

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU_JAR = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
NPM_HINT = "run `make browser-tools` (npm ci) in the project folder"

_RUN_AXE = """async () => {
  const results = await axe.run(document, {resultTypes: ["violations"]});
  return results.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""


@cache
def _axe_source() -> str:
    # `;0` makes the script an expression whose value Playwright can return.
    return AXE_JS.read_text(encoding="utf-8") + "\n;0"


def axe_violations(page) -> list[dict]:
    require(AXE_JS.exists(), f"axe-core is not installed: {NPM_HINT}")
    # Evaluated through the DevTools protocol, so a strict Content-Security-Policy
    # (no inline scripts) does not stop it.
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    return page.evaluate(_RUN_AXE)


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    report = []
    for v in violations:
        report.append(f"- {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            summary = " ".join(node["summary"].split())
            report.append(f"    {node['target']}: {summary}")
    assert not violations, f"axe-core found violations on {page.url}:\n" + "\n".join(report)


def assert_fits_width(page) -> None:
    scroll_width, view_width = page.evaluate(
        "[document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= view_width, (
        f"{page.url} scrolls sideways at {view_width} px: content is {scroll_width} px wide"
    )


class DocumentRecorder:
    """Keeps the source of every HTML page the browser loads in a page's main frame."""

    def __init__(self, page):
        self._page = page
        self._responses = []
        page.on("response", self._on_response)

    def _on_response(self, response):
        if (
            response.frame == self._page.main_frame
            and response.request.resource_type == "document"
            # A page's own answer (a 404 for a link that does not work), not a redirect.
            and (response.status == 200 or 400 <= response.status < 500)
        ):
            self._responses.append(response)

    def last_html(self) -> str:
        assert self._responses, "no HTML page was loaded"
        return self._responses[-1].text()


def html_errors(documents: dict[str, str]) -> list[str]:
    """The Nu HTML Checker's errors for each document, as 'name line N: message'."""
    java = shutil.which("java")
    require(java is not None, "Java is not installed (apt-get install openjdk-17-jre-headless)")
    require(VNU_JAR.exists(), f"the Nu HTML Checker (vnu-jar) is not installed: {NPM_HINT}")
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        names = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{index:03d}-{re.sub(r'[^a-z0-9]+', '-', name.lower())}.html"
            path.write_text(html, encoding="utf-8")
            names[path.name] = name
        result = subprocess.run(
            [java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", "--exit-zero-always"]
            + sorted(str(Path(folder) / file) for file in names),
            capture_output=True,
            text=True,
            timeout=300,
            check=True,
        )
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = []
    for message in messages:
        file = message.get("url", "").rsplit("/", 1)[-1]
        where = names.get(file, file)
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{where} line {line}: {message['message']} [{extract}]")
    return errors


def assert_valid_html(documents: dict[str, str]) -> None:
    errors = html_errors(documents)
    assert not errors, "The Nu HTML Checker found errors:\n" + "\n".join(errors)
