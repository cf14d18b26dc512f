"""Everyday accessibility that a person notices: keyboard, zoom, motion, direction, print."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db]

FOCUSABLE = "a[href], button, input, select, textarea, summary, [tabindex]:not([tabindex='-1'])"


def public_paths(sample_site, language):
    return {
        "home": f"/{language}/",
        "listing": f"/{language}/practices/",
        "practice": sample_site.practice_path(language),
    }


def active_element(page):
    return page.evaluate(
        """() => { const e = document.activeElement; const r = e.getBoundingClientRect();
        return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className,
                text: e.textContent.trim(),
                top: r.top, left: r.left, bottom: r.bottom, right: r.right,
                width: r.width, height: r.height}; }"""
    )


@pytest.mark.parametrize("language", ["en", "ar"])
def test_skip_link_is_first_and_moves_focus_to_main(page, site_url, sample_site, language):
    page.goto(site_url(sample_site.practice_path(language)))
    page.keyboard.press("Tab")
    first = active_element(page)
    assert "skip-link" in first["cls"], f"first focusable element is {first}"
    viewport = page.viewport_size
    assert first["top"] >= 0 and first["bottom"] <= viewport["height"], "skip link not visible"
    assert first["left"] >= 0 and first["right"] <= viewport["width"], "skip link not visible"
    page.keyboard.press("Enter")
    assert active_element(page)["id"] == "main"
    # The next Tab continues inside the main content, not back in the header.
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.querySelector('main').contains(document.activeElement)")


@pytest.mark.parametrize("kind", ["home", "practice"])
def test_focus_is_visible_on_every_focusable_element(page, site_url, sample_site, kind):
    page.goto(site_url(public_paths(sample_site, "en")[kind]))
    expected = page.locator(FOCUSABLE).count()
    assert expected > 5
    seen = []
    invisible = []
    for _ in range(expected):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {html: e.outerHTML.slice(0, 100), outlineStyle: s.outlineStyle,
                    outlineWidth: parseFloat(s.outlineWidth), boxShadow: s.boxShadow}; }"""
        )
        seen.append(style["html"])
        outlined = style["outlineStyle"] not in ("none", "hidden") and style["outlineWidth"] >= 2
        if not outlined and style["boxShadow"] in ("", "none"):
            invisible.append(style)
    assert len(set(seen)) > 5, f"Tab did not move through the page: {seen}"
    assert not invisible, f"focus without a visible indicator: {invisible}"


def test_focus_is_visible_on_form_controls(page, site_url, sample_site):
    """The controls the search and submission forms will use get the same focus style."""
    page.goto(site_url("/en/"))
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('afterbegin',
        '<form><label>Text <input type="text"></label><label><input type="checkbox"> Box</label>'
        + '<select aria-label="Choice"><option>a</option></select><textarea aria-label="T">'
        + '</textarea><button type="submit">Send</button></form>')"""
    )
    page.locator("main input[type=text]").focus()
    page.keyboard.press("Shift+Tab")
    invisible = []
    for _ in range(5):
        page.keyboard.press("Tab")
        style = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
            return {tag: e.tagName, type: e.type, outlineStyle: s.outlineStyle,
                    outlineWidth: parseFloat(s.outlineWidth)}; }"""
        )
        if style["outlineStyle"] in ("none", "hidden", "auto") or style["outlineWidth"] < 2:
            invisible.append(style)
    last = page.evaluate("() => document.activeElement.tagName")
    assert last == "BUTTON", "Tab did not reach the button"
    assert not invisible, f"form controls without the site's focus style: {invisible}"


OVERFLOW_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const scrolls = (e) => { for (let p = e.parentElement; p; p = p.parentElement) {
      const o = getComputedStyle(p).overflowX; if (o === 'auto' || o === 'scroll') return true; }
    return false; };
  const hidden = (e) => e.closest('.visually-hidden, .skip-link');
  const out = [];
  for (const e of document.body.querySelectorAll('*')) {
    const r = e.getBoundingClientRect();
    if (!r.width || hidden(e) || scrolls(e)) continue;
    if (r.right > width + 1 || r.left < -1) out.push(e.outerHTML.slice(0, 80));
  }
  return {page: document.documentElement.scrollWidth, width, out: out.slice(0, 10)};
}"""


@pytest.mark.parametrize("language", ["en", "ar"])
def test_text_resized_to_200_percent_needs_no_horizontal_scrolling(
    browser, site_url, sample_site, language
):
    """Text zoom (root font size 200%) at 1280px, and page zoom 200% (640 CSS px at 2x)."""
    problems = []
    for label, viewport, scale, text_zoom in [
        ("text 200% at 1280px", {"width": 1280, "height": 800}, 1, True),
        ("zoom 200% of 1280px", {"width": 640, "height": 400}, 2, False),
    ]:
        context = browser.new_context(viewport=viewport, device_scale_factor=scale)
        page = context.new_page()
        for name, path in public_paths(sample_site, language).items():
            page.goto(site_url(path))
            if text_zoom:
                before = page.evaluate("() => getComputedStyle(document.body).fontSize")
                # Through the CSSOM, as a reader's text size does: the site's CSP refuses
                # an added <style> element.
                page.evaluate(
                    "() => document.documentElement.style"
                    ".setProperty('font-size', '200%', 'important')"
                )
                after = page.evaluate("() => getComputedStyle(document.body).fontSize")
                assert float(after[:-2]) == 2 * float(before[:-2]), "text did not scale"
            result = page.evaluate(OVERFLOW_SCRIPT)
            if result["page"] > result["width"] or result["out"]:
                problems.append(f"{label}, {name}: {result}")
        context.close()
    assert not problems, "content cut off or scrolling sideways:\n" + "\n".join(problems)


def test_reduced_motion_is_respected(browser, site_url, sample_site):
    context = browser.new_context(reduced_motion="reduce")
    page = context.new_page()
    page.goto(site_url(sample_site.practice_path("en")))
    # Motion a later component might add: the site's stylesheet must switch it off.
    page.evaluate(
        """() => document.querySelector('main').insertAdjacentHTML('beforeend',
        '<p id="moving" style="transition: color 2s; animation: pulse 2s infinite;">x</p>')"""
    )
    moving = page.evaluate(
        """() => { const s = getComputedStyle(document.getElementById('moving'));
        return [s.transitionDuration, s.animationName]; }"""
    )
    assert moving == ["0s", "none"], f"motion not suppressed: {moving}"
    animated = page.evaluate(
        """() => [...document.querySelectorAll('*')].filter((e) => {
          const s = getComputedStyle(e);
          return s.animationName !== 'none' ||
            s.transitionDuration.split(',').some((d) => parseFloat(d) > 0); })
          .map((e) => e.outerHTML.slice(0, 80))"""
    )
    assert animated == []
    assert page.evaluate("() => getComputedStyle(document.documentElement).scrollBehavior") == (
        "auto"
    )
    context.close()


def header_layout(page):
    return page.evaluate(
        """() => { const box = (s) => document.querySelector(s).getBoundingClientRect();
        return {dir: document.documentElement.dir,
                direction: getComputedStyle(document.body).direction,
                brand: box('.site-header .brand').left,
                nav: box('.site-header nav').left,
                h1Right: box('main h1').right, h1Left: box('main h1').left,
                mainRight: box('main').right, mainLeft: box('main').left}; }"""
    )


def test_arabic_pages_are_right_to_left(page, site_url, sample_site):
    for path in public_paths(sample_site, "ar").values():
        page.goto(site_url(path))
        layout = header_layout(page)
        assert layout["dir"] == "rtl" and layout["direction"] == "rtl", path
        assert layout["brand"] > layout["nav"], f"{path}: the site name is not on the right"
        # Headings start at the right edge of the content.
        assert layout["mainRight"] - layout["h1Right"] < 40, f"{path}: {layout}"
    page.goto(site_url("/en/"))
    english = header_layout(page)
    assert english["dir"] == "ltr" and english["brand"] < english["nav"]
    assert english["h1Left"] - english["mainLeft"] < 40


def test_landmarks_and_heading_order(page, site_url, sample_site):
    problems = []
    for language in ("en", "ar"):
        for name, path in public_paths(sample_site, language).items():
            page.goto(site_url(path))
            found = page.evaluate(
                """() => ({
                  banner: document.querySelectorAll('body > header, [role=banner]').length,
                  main: document.querySelectorAll('main, [role=main]').length,
                  footer: document.querySelectorAll('body > footer, [role=contentinfo]').length,
                  navs: [...document.querySelectorAll('nav')]
                    .map((n) => n.getAttribute('aria-label')),
                  levels: [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')]
                    .map((h) => Number(h.tagName[1])) })"""
            )
            levels = found["levels"]
            skips = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
            if [found["banner"], found["main"], found["footer"]] != [1, 1, 1]:
                problems.append(f"{language} {name}: landmarks {found}")
            if levels[:1] != [1] or levels.count(1) != 1 or skips:
                problems.append(f"{language} {name}: headings {levels}")
            if not all(found["navs"]) or len(set(found["navs"])) != len(found["navs"]):
                problems.append(f"{language} {name}: navigation regions need distinct names")
    assert not problems, "\n".join(problems)


def test_print_stylesheet_on_a_practice_page(page, site_url, sample_site):
    page.goto(site_url(sample_site.practice_path("en")))
    page.emulate_media(media="print")
    shown = page.evaluate(
        """() => Object.fromEntries(['.skip-link', '.site-header', '.site-header nav',
          '.language-switcher', '.site-footer'].map((s) =>
          [s, document.querySelector(s).checkVisibility()]))"""
    )
    assert not any(shown.values()), f"shown in print: {shown}"
    assert page.locator("main h1").is_visible()
    body_font = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Georgia" in body_font
    source_suffix = page.evaluate(
        """() => getComputedStyle(document.querySelector('.practice-sources a'), '::after')
        .content"""
    )
    assert "https://example.org/report" in source_suffix
    page.emulate_media(media="screen")
    assert page.locator(".site-header").is_visible()


BIDI_SCRIPT = """() => [...document.body.querySelectorAll('[lang]')]
  .filter((e) => getComputedStyle(e).direction !==
    (['ar', 'fa', 'he', 'ur'].includes(e.lang.split('-')[0]) ? 'rtl' : 'ltr'))
  .map((e) => e.outerHTML.slice(0, 100))"""


@pytest.mark.parametrize(
    "kind",
    [
        "home",
        "practice",
        "listing",
    ],
)
@pytest.mark.parametrize("language", ["en", "ar"])
def test_text_in_another_language_runs_in_its_own_direction(
    page, site_url, sample_site, kind, language
):
    """Arabic inside an English page reads right-to-left, and the reverse."""
    page.goto(site_url(public_paths(sample_site, language)[kind]))
    assert page.locator("body [lang]").count() > 0
    wrong = page.evaluate(BIDI_SCRIPT)
    assert not wrong, f"text in the wrong direction: {wrong}"
