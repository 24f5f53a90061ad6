"""The agent console as an agent uses it all day (real Chromium): a visitor who queues raises
the tab's count, a sound and a browser notification; conversations open from the keyboard;
messages carry their times; it speaks Chinese; it fits a phone; and it signs out."""

from __future__ import annotations

import asyncio

import httpx
from playwright.async_api import expect

from shared.demo import DEMO_AGENT
from tests.browser.conftest import SHOTS, VARIANTS
from tests.browser.test_widget_care import agent_headers, shot

RECORD_NOTIFICATIONS = """
window.__notes = [];
window.Notification = class {
  static permission = 'granted';
  static requestPermission() { return Promise.resolve('granted'); }
  constructor(title, options) { window.__notes.push({title, body: options.body}); }
  close() {}
};
"""


async def console_page(browser, server, *, viewport=None, locale="en-US", account=DEMO_AGENT):
    context = await browser.new_context(viewport=viewport or {"width": 1280, "height": 760},
                                        locale=locale)  # fmt: skip
    await context.add_init_script(RECORD_NOTIFICATIONS)
    page = await context.new_page()
    await page.goto(f"{server}/console")
    await page.fill("#email", account[0])
    await page.fill("#password", account[1])
    await page.press("#password", "Enter")
    await page.locator("#app").wait_for()
    return context, page


async def visitor_asks_for_a_person(server: str, text: str) -> str:
    async with httpx.AsyncClient(base_url=server) as http:
        started = (
            await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
        ).json()
        headers = {"Authorization": f"Bearer {started['visitor_token']}"}
        cid = started["conversation_id"]
        await http.post(f"/api/v1/conversations/{cid}/messages", headers=headers,
                        json={"content": text, "client_msg_id": "c1"})  # fmt: skip
        await http.post(f"/api/v1/conversations/{cid}/handoff", headers=headers)
    return cid


async def widget_says(browser, server: str, text: str, path: str = "/demo"):
    """A visitor on the demo shop writes ``text`` in the widget: (their context, page, the
    conversation id) once the reply is there."""
    context = await browser.new_context(viewport={"width": 1100, "height": 760})
    page = await context.new_page()
    await page.goto(f"{server}{path}")
    await page.click("#kefu-widget >> .bubble")
    await page.fill("#kefu-widget >> input", text)
    await page.press("#kefu-widget >> input", "Enter")
    await (
        page.locator("#kefu-widget")
        .locator(".msg.bot:not(.greeting), .msg.system")
        .first.wait_for()
    )
    cid = await page.evaluate("JSON.parse(localStorage.getItem('kefu:demo')).id")
    return context, page, cid


async def test_a_queued_visitor_is_announced_and_answered_from_the_keyboard(
    server, browser, variant
):
    context, page = await console_page(
        browser, server, viewport=variant.viewport, locale=variant.locale
    )
    await page.wait_for_timeout(500)  # the queue as it was when the agent signed in
    before = await page.evaluate("window.__notes.length")
    parcel = variant.text("My parcel never arrived", "我的包裹一直没到")
    cid = await visitor_asks_for_a_person(server, parcel)
    await page.wait_for_function("() => document.title.startsWith('(')")
    notes = await page.evaluate("window.__notes")
    assert len(notes) > before
    assert notes[-1]["body"] == variant.text("A visitor is waiting", "有访客在排队")
    assert await page.evaluate("window.__kefuChimes || 0") >= 1

    # Keyboard only: Tab to the queued conversation, Enter opens it, claim, reply.
    button = page.locator(f"#queue button[data-id='{cid}']")
    await button.focus()
    await page.keyboard.press("Enter")
    await page.locator("#messages .msg.visitor", has_text=parcel).wait_for()
    assert ":" in await page.locator("#messages .msg.visitor time").first.inner_text()
    await page.locator("#claim").focus()
    await page.keyboard.press("Enter")
    await page.locator("#reply input").wait_for()
    reply = variant.text("Sorry to hear that: let me check.", "很抱歉，我马上帮您查一下。")
    await page.keyboard.type(reply)
    await page.keyboard.press("Enter")
    await page.locator("#messages .msg.agent", has_text=reply).wait_for()
    assert await page.evaluate("document.documentElement.scrollWidth") <= variant.viewport["width"]

    if variant.phone:  # back to the lists, where the account's menu is
        await page.keyboard.press("Shift+Tab")
        await page.click("#back")
    await page.click("#logout")
    await page.locator("#login").wait_for()
    assert await page.evaluate("sessionStorage.getItem('kefu:auth')") is None
    await context.close()


async def test_the_chinese_console_on_a_phone(server, browser):
    context, page = await console_page(
        browser, server, viewport={"width": 390, "height": 844}, locale="zh-CN"
    )
    cid = await visitor_asks_for_a_person(server, "我要找人工客服")
    button = page.locator(f"#queue button[data-id='{cid}']")
    await button.wait_for()
    assert "排队中" in await button.inner_text()
    assert await page.evaluate("document.documentElement.scrollWidth") <= 390
    await button.click()
    await page.locator("#messages .msg.visitor", has_text="我要找人工客服").wait_for()
    assert await page.locator("aside#lists").is_hidden()  # the chat takes the whole screen
    assert await page.locator("#claim").inner_text() == "接入"
    await page.screenshot(path=str(SHOTS / "console-phone-zh.png"))
    await page.click("#back")
    await page.locator("aside#lists").wait_for()
    await context.close()


async def test_the_agent_sees_who_the_visitor_is_and_their_earlier_conversation(
    server, browser, variant
):
    lamp = variant.text("Can I exchange a lamp?", "台灯可以换货吗？")
    visitor_ctx, visitor, first = await widget_says(browser, server, lamp, "/demo?from=newsletter")
    async with httpx.AsyncClient(base_url=server) as http:
        await http.post(
            f"/api/v1/agent/conversations/{first}/close", headers=await agent_headers(server)
        )
    await visitor.locator("#kefu-widget >> .restart").click()
    await visitor.fill(
        "#kefu-widget >> input", variant.text("I want to talk to a person", "我要找人工客服")
    )
    await visitor.press("#kefu-widget >> input", "Enter")
    await visitor.locator("#kefu-widget >> .msg.system").wait_for()
    second = await visitor.evaluate("JSON.parse(localStorage.getItem('kefu:demo')).id")

    context, page = await console_page(
        browser, server, viewport=variant.viewport, locale=variant.locale
    )
    await page.locator(f"#queue button[data-id='{second}']").click()
    if variant.phone:  # behind a button, over the chat
        await page.click("#context-toggle")
    facts = page.locator("#context-facts")
    await facts.locator("dd", has_text="/demo?from=newsletter").wait_for()
    assert "Linux" in await facts.inner_text()
    earlier = page.locator(f"#earlier button[data-id='{first}']")
    assert lamp in await earlier.inner_text()
    await page.screenshot(path=shot("console-context", variant))
    await earlier.click()
    await page.locator("#messages .msg.visitor", has_text=lamp).wait_for()
    await context.close()
    await visitor_ctx.close()


async def test_a_saved_reply_by_slash_a_note_the_visitor_never_sees_and_a_label(
    server, browser, variant
):
    visitor_ctx, visitor, cid = await widget_says(
        browser, server, variant.text("I need a human please", "我要找人工客服")
    )
    context, page = await console_page(
        browser, server, viewport=variant.viewport, locale=variant.locale
    )
    shortcut = f"ship-{variant.name}"  # the server is shared by the four runs
    await page.click("details.saved summary")
    await page.fill("#canned-form input[name=shortcut]", shortcut)
    await page.fill(
        "#canned-form textarea", "Hi {{visitor.name}}, I'm {{agent.name}}: shipping takes 3-5 days."
    )
    await page.click("#canned-form button[type=submit]")
    await page.locator("#canned-list li", has_text=f"/{shortcut}").wait_for()

    await page.locator(f"#queue button[data-id='{cid}']").click()
    await page.click("#claim")
    reply = page.locator("#reply input")
    await reply.wait_for()
    await reply.type(f"/{shortcut}")
    await page.locator("#canned-menu li", has_text=f"/{shortcut}").wait_for()
    await reply.press("Enter")  # inserts the saved reply, filled in
    visitor_name = variant.text("Visitor", "访客")
    filled = f"Hi {visitor_name}, I'm Demo Agent: shipping takes 3-5 days."
    assert await reply.input_value() == filled
    await reply.press("Enter")  # sends it
    await page.locator("#messages .msg.agent", has_text="shipping takes 3-5 days").wait_for()

    # A second console (the other language, the other screen) watching the conversation gets
    # the note live.
    other_variant = next(v for v in VARIANTS if v.zh != variant.zh and v.phone != variant.phone)
    other_ctx, other = await console_page(
        browser, server, viewport=other_variant.viewport, locale=other_variant.locale
    )
    await other.locator(f"#mine button[data-id='{cid}']").click()
    await other.locator("#messages .msg.agent", has_text="shipping takes 3-5 days").wait_for()
    await page.fill("#note-form input", "VIP customer: offer express for free")
    await page.press("#note-form input", "Enter")
    await page.locator("#messages .msg.note", has_text="offer express").wait_for()
    live = other.locator("#messages .msg.note", has_text="offer express")
    await live.wait_for()
    assert other_variant.text("Note", "备注") in await live.inner_text()
    await other.screenshot(path=shot("console-note-live", other_variant))
    await other_ctx.close()
    assert await page.locator("#messages .msg.note").count() == 1, "shown once, not twice"
    await page.fill("#labels input", "VIP")
    await page.press("#labels input", "Enter")
    await page.locator("#labels .chip", has_text="vip").wait_for()
    await page.screenshot(path=shot("console-tools", variant))

    await visitor.locator("#kefu-widget >> .msg.agent", has_text="shipping takes").wait_for()
    await visitor.wait_for_timeout(500)
    assert "offer express" not in await visitor.locator("#kefu-widget >> .list").inner_text()
    await page.reload()
    await page.locator(f"#mine button[data-id='{cid}']").click()
    await page.locator("#messages .msg.note", has_text="offer express").wait_for()
    await page.locator("#labels .chip", has_text="vip").wait_for()
    # Closed, it is found under Closed with its label and latest message.
    await page.click("#close")
    if variant.phone:  # back to the lists
        await page.click("#back")
    closed = page.locator(f"#closed button[data-id='{cid}']")
    await closed.wait_for()
    assert "vip" in await closed.inner_text()
    await page.fill("#label-filter", "vip")
    await page.wait_for_function(
        "() => [...document.querySelectorAll('#closed .tag')].every(t => t.textContent === 'vip')"
    )
    await closed.wait_for()
    await context.close()
    await visitor_ctx.close()


async def test_the_agent_taking_over_uses_the_drafted_reply(server, browser):
    async with httpx.AsyncClient(base_url=server) as http:
        started = (
            await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
        ).json()
        headers = {"Authorization": f"Bearer {started['visitor_token']}"}
        cid = started["conversation_id"]
        await http.post(f"/api/v1/conversations/{cid}/messages", headers=headers,
                        json={"content": "Do you ship internationally?", "client_msg_id": "a"})  # fmt: skip
        for _ in range(50):
            page_ = (
                await http.get(f"/api/v1/conversations/{cid}/messages", headers=headers)
            ).json()
            if any(m["role"] == "bot" for m in page_["messages"]):
                break
            await asyncio.sleep(0.1)
        await http.post(f"/api/v1/conversations/{cid}/handoff", headers=headers)
    context, page = await console_page(browser, server)
    await page.locator(f"#queue button[data-id='{cid}']").click()
    await page.locator("#asked li", has_text="Do you ship internationally?").wait_for()
    await page.click("#claim")
    await page.locator("#reply input").wait_for()
    await page.click("#use-suggestion")
    assert "7-14 business days" in await page.input_value("#reply input")
    await context.close()


async def test_the_agent_finds_a_conversation_by_its_words(server, browser, variant):
    text = variant.text("My refund for the teapot never came", "我的订单退款还没到账")
    word = variant.text("teapot", "退款")
    cid = await visitor_asks_for_a_person(server, text)
    # The indexer takes up to a couple of seconds to index a new message: wait for it, so the
    # console's one search (as an agent types) can find it.
    async with httpx.AsyncClient(base_url=server) as http:
        agent = await agent_headers(server)
        for _ in range(200):
            found = await http.get("/api/v1/agent/conversations", params={"q": word},
                                   headers=agent)  # fmt: skip
            if cid in [c["conversation_id"] for c in found.json()]:
                break
            await asyncio.sleep(0.1)
    context, page = await console_page(
        browser, server, viewport=variant.viewport, locale=variant.locale
    )
    await page.fill("#search", word)
    hit = page.locator(f"#results button[data-id='{cid}']")
    await hit.wait_for()
    assert word in await hit.inner_text()
    await hit.click()
    await page.locator("#messages .msg.visitor", has_text=text).wait_for()
    if variant.phone:
        await page.click("#back")
    await page.fill("#search", "")
    await page.locator("#lists-box").wait_for()
    await context.close()


async def test_a_conversation_still_loading_never_takes_the_keys_from_the_search(server, browser):
    # The agent opens a conversation and, before it has finished loading (its notes are held
    # back here), goes on typing in the search box: once it loads, the keys stay there.
    cid = await visitor_asks_for_a_person(server, "Where is the invoice for my teapot?")
    async with httpx.AsyncClient(base_url=server) as http:
        agent = await agent_headers(server)
        await http.post(f"/api/v1/agent/conversations/{cid}/notes", headers=agent,
                        json={"content": "Invoice resent on Monday"})  # fmt: skip
    context, page = await console_page(browser, server)
    release = asyncio.Event()

    async def held(route):
        await release.wait()
        await route.continue_()

    await page.route(f"**/api/v1/agent/conversations/{cid}/notes", held)
    await page.locator(f"#queue button[data-id='{cid}']").click()
    await page.locator("#messages .msg.visitor", has_text="invoice").wait_for()
    await page.click("#search")
    await page.keyboard.type("teap")
    release.set()
    await page.locator("#messages .msg.note", has_text="Invoice resent").wait_for()  # loaded
    await page.keyboard.type("ot")
    assert await page.evaluate("document.activeElement.id") == "search"
    assert await page.input_value("#search") == "teapot"
    await page.locator(f"#results button[data-id='{cid}']").wait_for()
    await context.close()


async def test_a_visitor_writing_in_another_conversation_is_marked_unread(server, browser):
    async with httpx.AsyncClient(base_url=server) as http:
        agent = await agent_headers(server)
        pair = []
        for text in ("First visitor needs a person", "Second visitor needs a person"):
            started = (
                await http.post("/api/v1/visitor/conversations", json={"widget_key": "demo"})
            ).json()
            cid = started["conversation_id"]
            visitor = {"Authorization": f"Bearer {started['visitor_token']}"}
            await http.post(f"/api/v1/conversations/{cid}/messages", headers=visitor,
                            json={"content": text})  # fmt: skip
            await http.post(f"/api/v1/conversations/{cid}/handoff", headers=visitor)
            claimed = await http.post(f"/api/v1/agent/conversations/{cid}/claim", headers=agent)
            assert claimed.status_code == 200, claimed.text
            pair.append((cid, visitor))
        (first, _), (second, second_visitor) = pair
        context, page = await console_page(browser, server)
        await page.locator(f"#mine button[data-id='{first}']").click()
        await page.locator("#messages .msg.visitor", has_text="First visitor").wait_for()
        before = await page.evaluate("window.__notes.length")
        await http.post(f"/api/v1/conversations/{second}/messages", headers=second_visitor,
                        json={"content": "Hello? Is anyone there?"})  # fmt: skip
    other = page.locator(f"#mine button[data-id='{second}']")
    await other.locator(".unread", has_text="1").wait_for()
    assert "Is anyone there?" in await other.locator(".preview").inner_text()
    notes = await page.evaluate("window.__notes")
    assert len(notes) == before + 1 and "Is anyone there?" in notes[-1]["body"]
    await other.click()  # opened: no longer unread
    await page.locator("#messages .msg.visitor", has_text="Is anyone there?").wait_for()
    assert await other.locator(".unread").count() == 0
    await context.close()


async def test_two_visitors_go_to_two_agents_by_themselves(server, browser, variant):
    """Automatic assignment as agents see it: two signed-in agents, two visitors asking for a
    person; each console shows one of them under "mine", nobody claims (a tenant of its own)."""
    from tests.browser.conftest import SERVER_DATA
    from tests.servers import create_owner

    slug = f"auto-{variant.name}"
    data = SERVER_DATA[server]
    root = (f"root-{slug}@example.com", "superadmin password")
    create_owner(data, *root, role="superadmin", tenant=None)
    async with httpx.AsyncClient(base_url=server) as http:

        async def login(email: str, password: str) -> dict:
            resp = await http.post("/api/v1/auth/login",
                                   json={"email": email, "password": password})  # fmt: skip
            return {"Authorization": f"Bearer {resp.json()['access_token']}"}

        made = await http.post("/api/v1/admin/tenants/", headers=await login(*root),
                               json={"name": "Auto", "slug": slug})  # fmt: skip
        widget_key = made.json()["widget_key"]
        accounts = {who: (f"{who}-{slug}@example.com", "a long password")
                    for who in ("owner", "ann", "bo")}  # fmt: skip
        for who, (email, password) in accounts.items():
            create_owner(data, email, password, role="owner" if who == "owner" else "agent",
                         tenant=slug)  # fmt: skip
        owner = await login(*accounts["owner"])
        settings = (await http.get("/api/v1/admin/settings/", headers=owner)).json()["settings"]
        settings["assignment"] = {"auto": True, "max_per_agent": 1}
        saved = await http.put("/api/v1/admin/settings/", headers=owner, json=settings)
        assert saved.status_code == 200, saved.text

        consoles = []
        for who in ("ann", "bo"):
            context, page = await console_page(
                browser, server, viewport=variant.viewport, locale=variant.locale,
                account=accounts[who],
            )  # fmt: skip
            consoles.append((context, page))
        await asyncio.sleep(0.5)  # both consoles' sockets hold their agent's presence
        visitors = []
        for text in ("Visitor one wants a person", "Visitor two wants a person"):
            started = (
                await http.post("/api/v1/visitor/conversations", json={"widget_key": widget_key})
            ).json()
            headers = {"Authorization": f"Bearer {started['visitor_token']}"}
            cid = started["conversation_id"]
            await http.post(f"/api/v1/conversations/{cid}/messages", headers=headers,
                            json={"content": text})  # fmt: skip
            await http.post(f"/api/v1/conversations/{cid}/handoff", headers=headers)
            visitors.append(cid)
    mine = []
    for _, page in consoles:
        # The lists refresh as events arrive: wait for them to settle, however busy the machine.
        item = page.locator("#mine li button")
        await expect(item).to_have_count(1)
        await expect(page.locator("#queue li button")).to_have_count(0)
        mine.append(await item.first.get_attribute("data-id"))
    assert sorted(mine) == sorted(visitors)
    await consoles[0][1].screenshot(path=shot("console-assigned", variant))
    for context, _ in consoles:
        await context.close()
