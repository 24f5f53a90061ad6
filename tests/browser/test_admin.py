"""The owner's workspace at /admin in a real browser (headless Chromium driven by Playwright):
an owner signs in, uploads a document, asks in the playground and sees the answer with its
sources; changes the widget's colour and sees it on the demo page; finds a question the bot
could not answer, answers it in one step, and the next visitor gets that answer — in English
and in Chinese, on a desktop and on a phone."""

from __future__ import annotations

import asyncio

from shared.demo import DEMO_OWNER
from tests.browser.conftest import SHOTS
from tests.servers import free_port

DESKTOP = {"width": 1280, "height": 860}
PHONE = {"width": 390, "height": 844}

BIKES = """# City bikes

## Do you rent bikes?

Yes. Our Riverside store rents city bikes for 15 dollars a day, helmet and lock included.
Return the bike before 8 pm; a late return costs 5 dollars an hour.
"""


async def sign_in(browser, server, *, locale="en-US", viewport=DESKTOP):
    context = await browser.new_context(viewport=viewport, locale=locale)
    page = await context.new_page()
    await page.goto(f"{server}/admin")
    await page.fill("#email", DEMO_OWNER[0])
    await page.fill("#password", DEMO_OWNER[1])
    await page.press("#password", "Enter")
    await page.locator("#app").wait_for()
    return page


async def held(page, pattern: str) -> asyncio.Event:
    """Requests to ``pattern`` wait until the returned event is set: what a page does while a
    response is still on its way."""
    release = asyncio.Event()

    async def hold(route):
        await release.wait()
        await route.continue_()

    await page.route(pattern, hold)
    return release


async def visitor_asks(browser, server, question: str, *, locale="en-US") -> str:
    """A new visitor on the demo shop asks ``question``: the bot's answer as they see it."""
    context = await browser.new_context(viewport=DESKTOP, locale=locale)
    page = await context.new_page()
    await page.goto(f"{server}/demo")
    await page.click("#kefu-widget >> .bubble")
    await page.fill("#kefu-widget >> input", question)
    await page.press("#kefu-widget >> input", "Enter")
    answer = page.locator("#kefu-widget >> .msg.bot:not(.greeting) .text").last
    await answer.wait_for()
    await page.wait_for_function(
        """() => { const r = document.querySelector('#kefu-widget').shadowRoot;
                  return !r.querySelector('.typing').textContent; }"""
    )
    text = await answer.inner_text()
    await context.close()
    return text


async def answer_unanswered(page, words: str, answer: str, shot: str) -> None:
    """On the analytics page, answer the group whose question holds ``words``."""
    await page.goto(page.url.split("#")[0] + "#analytics")
    group = page.locator("#unanswered form.group", has_text=words).first
    await group.wait_for()
    await group.locator("textarea").fill(answer)
    await page.screenshot(path=str(SHOTS / shot), full_page=True)
    await group.locator("button[type=submit]").click()
    await page.wait_for_function(
        "words => ![...document.querySelectorAll('#unanswered form.group q')]"
        ".some(q => q.textContent.includes(words))",
        arg=words,
    )


async def test_an_owner_teaches_the_bot_styles_the_widget_and_closes_the_loop(
    server, browser, tmp_path
):
    page = await sign_in(browser, server)
    assert await page.locator("nav.side a[aria-current=page]").inner_text() == "Knowledge base"

    # Upload a document; it is indexed and listed.
    path = tmp_path / "bikes.md"
    path.write_text(BIKES, encoding="utf-8")
    await page.set_input_files("#file", str(path))
    await page.locator("#uploads .ok", has_text="Indexed").wait_for()
    await page.locator("#documents tr", has_text="City bikes").wait_for()
    await page.screenshot(path=str(SHOTS / "admin-kb.png"), full_page=True)

    # The playground answers from it and shows the source.
    await page.click("nav.side >> text=Playground")
    await page.fill("#play-question", "How much does a city bike cost per day?")
    await page.press("#play-question", "Enter")
    await page.locator("#play-outcome", has_text="Answers").wait_for()
    assert "15 dollars" in await page.locator("#play-answer").inner_text()
    cited = page.locator("#play-passages .passage.cited")
    assert "Do you rent bikes?" in await cited.first.inner_text()
    await page.screenshot(path=str(SHOTS / "admin-playground.png"), full_page=True)

    # A question it can't answer shows why.
    await page.fill("#play-question", "Can I bring my dog into the store?")
    await page.press("#play-question", "Enter")
    await page.locator("#play-outcome", has_text="Declines").wait_for()
    assert "needs 20%" in await page.locator("#play-explanation").inner_text()
    # One that names what the knowledge base never mentions says which name.
    await page.fill("#play-question", "Can I pay for a city bike with Bitcoin?")
    await page.press("#play-question", "Enter")
    await page.locator("#play-explanation", has_text="Bitcoin").wait_for()
    assert "never mentions" in await page.locator("#play-explanation").inner_text()
    assert "grounds the answer" not in await page.locator("#play-passages").inner_text()
    await page.screenshot(path=str(SHOTS / "admin-playground-unknown-name.png"), full_page=True)
    # Beside an ask it answers, the answer says which name went unanswered.
    await page.fill(
        "#play-question", "Can I pay with Bitcoin? How much does a city bike cost per day?"
    )
    await page.press("#play-question", "Enter")
    await page.locator("#play-explanation", has_text="also asks about Bitcoin").wait_for()
    answer = await page.locator("#play-answer").inner_text()
    assert "15 dollars" in answer and answer.rstrip().endswith(
        "I couldn't find anything about Bitcoin in our help center."
    )
    # … standing on the passage it cites, marked as such
    assert "grounds the answer" in await page.locator("#play-passages .passage.cited").inner_text()
    await page.screenshot(path=str(SHOTS / "admin-playground-partly-unknown.png"), full_page=True)

    # The widget's colour: previewed live, saved, seen on the demo shop. Its form is closed
    # until the saved settings arrive (held here), so nothing typed is overwritten by them.
    arrived = await held(page, "**/api/v1/admin/settings/")
    await page.click("nav.side >> text=Widget")
    await page.locator("#widget-form[aria-busy=true]").wait_for()
    assert await page.is_disabled("#w-color-text")
    assert await page.is_disabled("#widget-form button[type=submit]")
    arrived.set()
    await page.fill("#w-color-text", "#d6336c")  # waits for the field to open
    assert await page.input_value("#w-color-text") == "#d6336c"
    assert 'data-widget-key="demo"' in await page.input_value("#snippet")
    await page.unroute("**/api/v1/admin/settings/")
    await page.fill("#w-title", "Maple & Moss help")
    preview = await page.eval_on_selector(
        "#w-preview .head", "el => getComputedStyle(el).backgroundColor"
    )
    assert preview == "rgb(214, 51, 108)"
    await page.click("#widget-form button[type=submit]")
    await page.locator("#widget-form .ok", has_text="Saved").wait_for()
    assert 'data-widget-key="demo"' in await page.input_value("#snippet")
    await page.screenshot(path=str(SHOTS / "admin-widget.png"), full_page=True)
    shop = await (await browser.new_context(viewport=DESKTOP)).new_page()
    await shop.goto(f"{server}/demo")
    await shop.wait_for_function(
        """() => getComputedStyle(document.querySelector('#kefu-widget').shadowRoot
                   .querySelector('.bubble')).backgroundColor === 'rgb(214, 51, 108)'"""
    )

    # A visitor asks what the KB lacks; the owner answers it once; the next visitor gets it.
    first = await visitor_asks(browser, server, "Can I bring my dog into the store?")
    assert "couldn't find" in first
    await answer_unanswered(
        page,
        "dog",
        "Yes: well-behaved dogs on a lead are welcome in our stores.",
        "admin-analytics.png",
    )
    later = await visitor_asks(browser, server, "Can I bring my dog into the store?")
    assert "dogs on a lead are welcome" in later


async def test_the_chinese_workspace_closes_the_same_loop(server, browser, tmp_path):
    page = await sign_in(browser, server, locale="zh-CN")
    assert await page.locator("nav.side a[aria-current=page]").inner_text() == "知识库"
    path = tmp_path / "租车.md"
    path.write_text("# 租车服务\n\n## 可以租自行车吗？\n\n可以。河畔门店出租城市自行车，每天 80 元，含头盔和车锁。\n",
                    encoding="utf-8")  # fmt: skip
    await page.set_input_files("#file", str(path))
    await page.locator("#uploads .ok", has_text="已建索引").wait_for()
    await page.click("nav.side >> text=调试台")
    await page.fill("#play-question", "租一天自行车多少钱？")
    await page.press("#play-question", "Enter")
    await page.locator("#play-outcome", has_text="回答").wait_for()
    assert "80 元" in await page.locator("#play-answer").inner_text()
    assert (
        "可以租自行车吗" in await page.locator("#play-passages .passage.cited").first.inner_text()
    )
    assert "依据" in await page.locator("#play-explanation").inner_text()
    await page.screenshot(path=str(SHOTS / "admin-zh.png"), full_page=True)
    await page.fill("#play-question", "可以用Venmo付租车的钱吗？")
    await page.press("#play-question", "Enter")
    await page.locator("#play-explanation", has_text="Venmo").wait_for()
    assert "从未出现" in await page.locator("#play-explanation").inner_text()
    await page.screenshot(path=str(SHOTS / "admin-playground-unknown-name-zh.png"), full_page=True)
    await page.fill("#play-question", "可以用Venmo付款吗？租一天自行车多少钱？")
    await page.press("#play-question", "Enter")
    await page.locator("#play-explanation", has_text="还问到了 Venmo").wait_for()
    answer = await page.locator("#play-answer").inner_text()
    assert "80 元" in answer and answer.rstrip().endswith("帮助中心里没有找到关于 Venmo 的内容。")
    await page.screenshot(
        path=str(SHOTS / "admin-playground-partly-unknown-zh.png"), full_page=True
    )

    await page.click("nav.side >> text=聊天窗口")
    await page.fill("#w-color-text", "#0f766e")
    await page.click("#widget-form button[type=submit]")
    await page.locator("#widget-form .ok", has_text="已保存").wait_for()
    shop = await (await browser.new_context(viewport=DESKTOP, locale="zh-CN")).new_page()
    await shop.goto(f"{server}/demo")
    await shop.wait_for_function(
        """() => getComputedStyle(document.querySelector('#kefu-widget').shadowRoot
                   .querySelector('.bubble')).backgroundColor === 'rgb(15, 118, 110)'"""
    )

    first = await visitor_asks(browser, server, "你们卖宠物用品吗？", locale="zh-CN")
    assert "没有找到" in first
    await answer_unanswered(page, "宠物", "不卖，我们只卖家居用品。", "admin-analytics-zh.png")
    later = await visitor_asks(browser, server, "你们卖宠物用品吗？", locale="zh-CN")
    assert "只卖家居用品" in later


async def test_the_workspace_fits_a_phone(server, browser):
    page = await sign_in(browser, server, viewport=PHONE)
    for view in ("kb", "playground", "widget", "analytics", "team"):
        await page.goto(f"{server}/admin#{view}")
        await page.locator(f"#view-{view}").wait_for()
        wide = await page.evaluate("document.documentElement.scrollWidth")
        assert wide <= PHONE["width"], f"#{view} is {wide}px wide on a {PHONE['width']}px phone"
    await page.goto(f"{server}/admin#kb")
    await page.screenshot(path=str(SHOTS / "admin-phone.png"), full_page=False)
    # The playground's result on a phone: the answer, the name that went unanswered and the
    # passages, with nothing to scroll sideways for.
    await page.goto(f"{server}/admin#playground")
    await page.fill("#play-question", "Can I pay with Bitcoin, and how long does shipping take?")
    await page.press("#play-question", "Enter")
    await page.locator("#play-explanation", has_text="also asks about Bitcoin").wait_for()
    answer = await page.locator("#play-answer").inner_text()
    assert answer.rstrip().endswith("I couldn't find anything about Bitcoin in our help center.")
    assert await page.locator("#play-passages .passage.cited").count() >= 1
    wide = await page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"], f"the playground's result is {wide}px wide on a phone"
    await page.screenshot(path=str(SHOTS / "admin-playground-phone.png"), full_page=True)
    # Keyboard: the section links are reachable with Tab and open with Enter.
    await page.focus("nav.side a[href='#team']")
    await page.keyboard.press("Enter")
    await page.locator("#view-team").wait_for()
    assert await page.locator("#users tr", has_text=DEMO_OWNER[0]).count() == 1


async def test_an_owner_imports_a_site_edits_a_page_and_checks_the_integrations(server, browser):
    from tests.fake_openai import FakeToolModelServer
    from tests.integration.test_webhooks import Receiver
    from tests.unit.test_kb_sites import Site, _faq

    site, receiver, model = Site(), Receiver(free_port()), FakeToolModelServer()
    site.pages["/faq.html"] = (200, "text/html", _faq("30 dollars"))
    try:
        page = await sign_in(browser, server)
        await page.fill("#site-url", f"{site.base}/sitemap.xml")
        await page.click("#site-form button[type=submit]")
        row = page.locator("#sites tr", has_text=site.base)
        await row.locator(".badge.done").wait_for()
        assert "2 pages" in await row.inner_text()
        await row.locator("summary").click()
        assert "robots" in await row.inner_text()
        await page.screenshot(path=str(SHOTS / "admin-site.png"), full_page=True)

        # The imported page's passages, then an edit the playground answers from at once.
        doc = page.locator("#documents tr", has_text="Bike FAQ")
        await doc.locator("button[data-view]").click()
        await page.locator("#doc-passages .passage", has_text="30 dollars").wait_for()
        await page.click("#doc-edit")
        await page.fill(
            "#doc-edit-content", "## How much is a tandem bike?\n\nTandems cost 28 dollars a day."
        )
        await page.click("#doc-edit-form button[type=submit]")
        await page.locator("#doc-passages .passage", has_text="28 dollars").wait_for()
        await page.click("nav.side >> text=Playground")
        await page.fill("#play-question", "How much is a tandem bike?")
        await page.press("#play-question", "Enter")
        await page.locator("#play-answer", has_text="28 dollars").wait_for()

        # The model answers the connection test (here: the knowledge base itself).
        await page.click("nav.side >> text=Bot")
        await page.click("#model-test")
        await page.locator("#model-result.ok").wait_for()
        # The owner's own model server (scripted) answers it once set, with its key; then the
        # deployment's model again.
        model.replies.append({"text": "Own model here."})
        await page.fill("#own-url", model.url)
        await page.fill("#own-key", "sk-owner-key")
        await page.click("#own-model-form button[type=submit]")
        await page.locator("#model-info", has_text="your own server").wait_for()
        assert await page.get_attribute("#own-key", "placeholder") == (
            "kept (type a new one to replace it)"
        )
        await page.click("#model-test")
        await page.locator("#model-result.ok", has_text="Own model here.").wait_for()
        assert model.authorizations == ["Bearer sk-owner-key"]
        await page.screenshot(path=str(SHOTS / "admin-model.png"), full_page=True)
        await page.click("#own-clear")
        await page.locator("#model-info", has_text="the deployment's model").wait_for()

        # A webhook's test event arrives, signed, and shows as delivered in its log.
        await page.click("nav.side >> text=Team & integrations")
        await page.fill("#hook-form input[name=url]", f"http://127.0.0.1:{receiver.port}/hook")
        await page.click("#hook-form button[type=submit]")
        await page.locator("#new-hook", has_text="whsec_").wait_for()
        await page.locator("#hooks button[data-ping]").click()
        await page.locator("#delivery-rows .badge.delivered").wait_for()
        assert b'"webhook.test"' in receiver.requests[0][1]

        # A plugin tried once shows what the bot would answer from.
        await page.locator("#plugins button[data-try=business_hours]").click()
        await page.click("#try-form button[type=submit]")
        await page.locator("#try-result", has_text="ms)").wait_for()
        await page.screenshot(path=str(SHOTS / "admin-team.png"), full_page=True)

        # A built-in's configuration is kept when it is switched on — even switched on at once,
        # before the plugin list has reloaded (held here until the switch is sent): the switch
        # must carry the configuration just saved, not the one the list had.
        listed = await held(page, "**/api/v1/admin/plugins/")
        await page.locator("#plugins button[data-configure=order_status]").click()
        await page.fill("#cf-url", f"{site.base}/orders/{{order_id}}")
        await page.fill("#cf-template", "Order {order_id} is {status}.")
        await page.click("#config-form button[type=submit]")
        await page.locator("#config-form .ok", has_text="Saved").wait_for()
        async with page.expect_response(
            lambda r: r.url.endswith("/plugins/order_status") and r.request.method == "PUT"
        ):
            await page.locator("#plugins input[data-plugin=order_status]").check()
        listed.set()  # the held reloads, and any later one, go through
        await page.locator("#plugins input[data-plugin=order_status]:checked").wait_for()
        await page.locator("#plugins button[data-configure=order_status]").click()
        assert await page.input_value("#cf-template") == "Order {order_id} is {status}."
    finally:
        site.stop()
        receiver.stop()
        model.stop()


async def test_the_platforms_superadmin_picks_the_tenant_to_manage(server, browser):
    from tests.browser.conftest import SERVER_DATA
    from tests.servers import create_owner

    create_owner(SERVER_DATA[server], "root@platform.example", "platform root password",
                 role="superadmin", tenant=None)  # fmt: skip
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await page.goto(f"{server}/admin")
    await page.fill("#email", "root@platform.example")
    await page.fill("#password", "platform root password")
    await page.press("#password", "Enter")
    switch = page.locator("#tenant-switch")
    await switch.wait_for()
    assert "Maple & Moss" in await switch.inner_text()
    await page.locator("#documents tr", has_text="faq_en.md").wait_for()

    # An agent is sent to the console instead.
    agent = await (await browser.new_context(viewport=DESKTOP)).new_page()
    await agent.goto(f"{server}/admin")
    await agent.fill("#email", "agent@demo.kefu.local")
    await agent.fill("#password", "demo-agent-password")
    await agent.press("#password", "Enter")
    await agent.locator("#login-error", has_text="console").wait_for()
    assert await agent.locator("#app").is_hidden()
