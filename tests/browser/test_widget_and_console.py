"""A visitor and an agent in a real browser (headless Chromium driven by Playwright).

The visitor asks the demo shop's widget a question and watches the answer stream in, asks for
a human, the agent claims the conversation in the console and replies, the visitor sees it, and
after a reload the whole history is there exactly once. Screenshots go to a temporary folder, or
to ``KEFU_SCREENSHOTS`` when set (``make screenshots`` refreshes docs/img/ that way), so a test
run never rewrites files the repository tracks.
"""

from __future__ import annotations

import httpx

from shared.demo import DEMO_AGENT
from tests.browser.conftest import SERVER_DATA, SHOTS
from tests.servers import create_owner

WATCH_STREAMING = """() => {
  const root = document.querySelector('#kefu-widget').shadowRoot;
  window.__botTextChanges = 0;
  new MutationObserver(records => {
    for (const r of records) {
      const msg = (r.target.nodeType === 1 ? r.target : r.target.parentElement).closest('.msg.bot');
      if (msg && !msg.querySelector('.src')) window.__botTextChanges++;
    }
  }).observe(root.querySelector('.list'), {subtree: true, childList: true, characterData: true});
}"""


async def test_visitor_asks_gets_a_streamed_answer_then_a_human_answers(server, browser):
    visitor_ctx = await browser.new_context(viewport={"width": 1100, "height": 760}, locale="en-US")
    visitor = await visitor_ctx.new_page()
    await visitor.goto(f"{server}/demo")
    await visitor.click("#kefu-widget >> .bubble")
    await visitor.wait_for_function("() => localStorage.getItem('kefu:demo') !== null")
    await visitor.evaluate(WATCH_STREAMING)
    await visitor.fill("#kefu-widget >> input", "Do you ship internationally?")
    await visitor.press("#kefu-widget >> input", "Enter")
    answer = visitor.locator("#kefu-widget >> .msg.bot .text").last
    await answer.wait_for()
    await visitor.locator("#kefu-widget >> .msg.bot .src").last.wait_for()
    assert "7-14 business days" in await answer.inner_text()
    assert "Sources" in await visitor.locator("#kefu-widget >> .msg.bot .src").last.inner_text()
    assert await visitor.evaluate("window.__botTextChanges") >= 2, "the answer arrived in one piece"
    await visitor.screenshot(path=str(SHOTS / "widget.png"))

    await visitor.click("#kefu-widget >> .human")
    await visitor.locator("#kefu-widget >> .msg.system").last.wait_for()
    await visitor.wait_for_function(
        "() => document.querySelector('#kefu-widget').shadowRoot.querySelector('.status').textContent.includes('Waiting')"
    )

    agent_ctx = await browser.new_context(viewport={"width": 1280, "height": 760})
    console = await agent_ctx.new_page()
    await console.goto(f"{server}/console")
    await console.fill("input[name=email]", DEMO_AGENT[0])
    await console.fill("input[name=password]", DEMO_AGENT[1])
    await console.click("button[type=submit]")
    item = console.locator("#queue li").first
    await item.wait_for()
    await item.click()
    await console.locator("#messages .msg.bot").first.wait_for()
    await console.click("#claim")
    await console.locator("#reply input").wait_for()
    await console.fill("#reply input", "Hi! I'm Demo Agent. Which country should we ship to?")
    await console.press("#reply input", "Enter")
    await console.locator("#messages .msg.agent").wait_for()
    await console.screenshot(path=str(SHOTS / "console.png"))

    agent_reply = visitor.locator("#kefu-widget >> .msg.agent .text")
    await agent_reply.wait_for()
    assert "Which country" in await agent_reply.inner_text()
    await visitor.screenshot(path=str(SHOTS / "widget-agent.png"))

    conversation = await visitor.evaluate("JSON.parse(localStorage.getItem('kefu:demo'))")
    async with httpx.AsyncClient() as http:
        stored = (
            await http.get(
                f"{server}/api/v1/conversations/{conversation['id']}/messages",
                headers={"Authorization": f"Bearer {conversation['token']}"},
            )
        ).json()["messages"]
    await visitor.reload()
    await visitor.click("#kefu-widget >> .bubble")
    await visitor.locator("#kefu-widget >> .msg.agent").wait_for()
    await visitor.wait_for_timeout(500)
    texts = await visitor.locator("#kefu-widget >> .msg:not(.greeting) .text").all_inner_texts()
    assert [t.strip() for t in texts] == [m["content"].strip() for m in stored]
    await visitor_ctx.close()
    await agent_ctx.close()


async def test_the_widget_speaks_chinese_to_a_chinese_browser(server, browser):
    context = await browser.new_context(viewport={"width": 1100, "height": 760}, locale="zh-CN")
    page = await context.new_page()
    await page.goto(f"{server}/demo")
    await page.click("#kefu-widget >> .bubble")
    assert await page.locator("#kefu-widget >> .human").inner_text() == "转人工"
    await page.fill("#kefu-widget >> input", "退货政策是什么？")
    await page.press("#kefu-widget >> input", "Enter")
    await page.locator("#kefu-widget >> .msg.bot .src").wait_for()
    answer = await page.locator("#kefu-widget >> .msg.bot .text").inner_text()
    assert "30天" in answer
    assert "来源" in await page.locator("#kefu-widget >> .msg.bot .src").inner_text()
    await page.screenshot(path=str(SHOTS / "widget-zh.png"))
    await context.close()


async def test_the_widget_speaks_traditional_chinese_to_a_taiwan_or_hong_kong_browser(
    server, browser
):
    from shared.bot import DONT_KNOW

    context = await browser.new_context(viewport={"width": 1100, "height": 760}, locale="zh-TW")
    page = await context.new_page()
    await page.goto(f"{server}/demo")
    await page.click("#kefu-widget >> .bubble")
    assert await page.locator("#kefu-widget >> .human").inner_text() == "轉人工"
    # The demo shop's FAQ is simplified: the answer quotes it as written, in traditional's words.
    await page.fill("#kefu-widget >> input", "退貨政策是什麼？")
    await page.press("#kefu-widget >> input", "Enter")
    await page.locator("#kefu-widget >> .msg.bot .src").wait_for()
    assert "30天" in await page.locator("#kefu-widget >> .msg.bot .text").inner_text()
    assert "來源" in await page.locator("#kefu-widget >> .msg.bot .src").inner_text()
    # The bot's own words are in traditional characters.
    await page.fill("#kefu-widget >> input", "法國的首都是哪裡？")
    await page.press("#kefu-widget >> input", "Enter")
    answers = page.locator("#kefu-widget >> .msg.bot .text")
    await answers.nth(1).wait_for()
    await page.wait_for_function(
        """(text) => [...document.querySelector('#kefu-widget').shadowRoot
             .querySelectorAll('.msg.bot .text')].some(e => e.innerText.trim() === text)""",
        arg=DONT_KNOW["zh-Hant"],
    )
    await page.screenshot(path=str(SHOTS / "widget-zh-hant.png"))
    await context.close()


async def test_the_widget_takes_the_look_an_owner_sets(server, browser):
    create_owner(SERVER_DATA[server], "owner@look.example", "owner look password")
    async with httpx.AsyncClient(base_url=server) as http:
        login = await http.post(
            "/api/v1/auth/login",
            json={"email": "owner@look.example", "password": "owner look password"},
        )
        owner = {"Authorization": f"Bearer {login.json()['access_token']}"}
        look = {
            "title": "Maple & Moss help",
            "color": "#d03050",
            "position": "left",
            "greeting": "Hi! Ask me about orders, shipping or returns.",
        }
        saved = await http.put("/api/v1/admin/settings/", headers=owner, json={"widget": look})
        assert saved.status_code == 200, saved.text
    context = await browser.new_context(viewport={"width": 1100, "height": 760}, locale="en-US")
    page = await context.new_page()
    await page.goto(f"{server}/demo")
    await page.click("#kefu-widget >> .bubble")
    await page.locator("#kefu-widget >> .msg.greeting").wait_for()
    assert await page.locator("#kefu-widget >> .head b").inner_text() == "Maple & Moss help"
    color = await page.locator("#kefu-widget >> .bubble").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    assert color == "rgb(208, 48, 80)"
    box = await page.locator("#kefu-widget >> .bubble").bounding_box()
    assert box is not None and box["x"] < 100  # on the left
    await page.screenshot(path=str(SHOTS / "widget-custom.png"))
    await context.close()
    async with httpx.AsyncClient(base_url=server) as http:  # put the demo's look back
        await http.put("/api/v1/admin/settings/", headers=owner, json={})
