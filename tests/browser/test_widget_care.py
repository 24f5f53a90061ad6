"""The widget never drops a visitor (real Chromium): a message sent while the server can't be
reached says so, is kept across a reload, and arrives once when the server is back; a closed
conversation asks for a rating and offers a new one; the panel closes with its button and
Escape, greets by default, stamps each message with its time, counts unread replies on the
launcher, and fills a phone's screen."""

from __future__ import annotations

import httpx

from shared.demo import DEMO_AGENT
from tests.browser.conftest import SHOTS, VARIANT_SHOTS

DESKTOP = {"width": 1100, "height": 760}
PHONE = {"width": 390, "height": 844}
W = "#kefu-widget >> "


def shot(name: str, variant) -> str:
    """Where a screenshot goes: English on a desktop to the docs' folder (``make screenshots``),
    the other languages and screens to a temporary one (to look at, not to publish)."""
    if variant.name == "en-desktop":
        return str(SHOTS / f"{name}.png")
    return str(VARIANT_SHOTS / f"{name}-{variant.name}.png")


async def agent_headers(server: str) -> dict:
    async with httpx.AsyncClient(base_url=server) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"email": DEMO_AGENT[0], "password": DEMO_AGENT[1]}
        )
    return {"Authorization": f"Bearer {login.json()['access_token']}"}


async def open_widget(browser, server, *, viewport=DESKTOP, locale="en-US"):
    context = await browser.new_context(viewport=viewport, locale=locale)
    page = await context.new_page()
    await page.goto(f"{server}/demo")
    await page.click(W + ".bubble")
    await page.wait_for_function("() => localStorage.getItem('kefu:demo') !== null")
    return context, page


async def identity_secret(server: str, owner_email: str) -> str:
    """A new owner of the demo tenant makes (or replaces) its identity secret: the secret."""
    from tests.browser.conftest import SERVER_DATA
    from tests.servers import create_owner

    create_owner(SERVER_DATA[server], owner_email, "an owner's password")
    async with httpx.AsyncClient(base_url=server) as http:
        login = await http.post(
            "/api/v1/auth/login", json={"email": owner_email, "password": "an owner's password"}
        )
        owner = {"Authorization": f"Bearer {login.json()['access_token']}"}
        made = await http.post("/api/v1/admin/settings/identity-secret", headers=owner)
    return made.json()["secret"]


async def conversation_of(page) -> dict:
    return await page.evaluate("JSON.parse(localStorage.getItem('kefu:demo'))")


async def stored_messages(server: str, conversation: dict) -> list[dict]:
    async with httpx.AsyncClient(base_url=server) as http:
        page = await http.get(
            f"/api/v1/conversations/{conversation['id']}/messages",
            headers={"Authorization": f"Bearer {conversation['token']}"},
        )
    return page.json()["messages"]


async def test_a_message_sent_offline_is_kept_and_arrives_once(server, browser, variant):
    context, page = await open_widget(
        browser, server, viewport=variant.viewport, locale=variant.locale
    )
    conversation = await conversation_of(page)
    question = variant.text("Is delivery free?", "免费配送吗？")
    await context.set_offline(True)
    await page.fill(W + "input", question)
    await page.press(W + "input", "Enter")
    failed = page.locator(W + ".msg.visitor.pending", has_text=question)
    await failed.locator(".meta", has_text=variant.text("Not sent yet", "暂未发送")).wait_for()
    retry = variant.text("Retry now", "立即重试")
    assert await failed.locator(".meta button", has_text=retry).count() == 1
    await page.screenshot(path=shot("widget-offline", variant))
    # Still offline, the visitor reloads: the message is not lost.
    outbox = await page.evaluate("JSON.parse(localStorage.getItem('kefu:demo:outbox'))")
    assert [m["text"] for m in outbox] == [question]
    await context.set_offline(False)
    await page.reload()
    await page.click(W + ".bubble")
    await page.locator(W + ".msg.bot:not(.greeting)").wait_for()  # answered: the server got it
    await page.locator(W + ".msg.visitor:not(.pending)", has_text=question).wait_for()
    assert await page.evaluate("JSON.parse(localStorage.getItem('kefu:demo:outbox'))") == []
    visitor_messages = [
        m for m in await stored_messages(server, conversation) if m["role"] == "visitor"
    ]
    assert [m["content"] for m in visitor_messages] == [question]  # exactly once
    await page.wait_for_timeout(300)
    assert await page.locator(W + ".msg.visitor").count() == 1
    await context.close()


async def test_after_close_the_visitor_rates_and_starts_anew(server, browser, variant):
    context, page = await open_widget(
        browser, server, viewport=variant.viewport, locale=variant.locale
    )
    conversation = await conversation_of(page)
    await page.fill(W + "input", variant.text("How much does shipping cost?", "运费多少钱？"))
    await page.press(W + "input", "Enter")
    await page.locator(W + ".msg.bot:not(.greeting)").wait_for()
    stamp = await page.locator(W + ".msg.bot:not(.greeting) .meta time").inner_text()
    assert ":" in stamp  # a time, e.g. 14:05
    agent = await agent_headers(server)
    async with httpx.AsyncClient(base_url=server) as http:
        closed = await http.post(
            f"/api/v1/agent/conversations/{conversation['id']}/close", headers=agent
        )
        assert closed.status_code == 200, closed.text
    ended = page.locator(W + ".ended")
    await ended.wait_for()
    assert await page.locator(W + ".foot").is_hidden()
    await page.click(W + ".stars button[data-score='4']")
    await page.fill(W + ".ended textarea", "Quick answer, thanks")
    await page.click(W + ".rate-send")
    await page.locator(W + ".ended-note", has_text=variant.text("Thank you", "感谢")).wait_for()
    await page.screenshot(path=shot("widget-closed", variant))

    await page.click(W + ".restart")
    await page.locator(W + ".foot").wait_for()
    assert await page.locator(W + ".msg:not(.greeting)").count() == 0
    await page.wait_for_function(
        f"() => JSON.parse(localStorage.getItem('kefu:demo') || '{{}}').id !== '{conversation['id']}'"
    )
    await page.fill(W + "input", variant.text("Do you ship internationally?", "能寄到国外吗？"))
    await page.press(W + "input", "Enter")
    await page.locator(W + ".msg.bot:not(.greeting)").wait_for()
    fresh = await conversation_of(page)
    assert fresh["id"] != conversation["id"]
    assert [m["role"] for m in await stored_messages(server, fresh)][:2] == ["visitor", "bot"]
    await context.close()


async def test_the_panel_closes_greets_counts_unread_and_fills_a_phone(server, browser):
    context, page = await open_widget(browser, server, viewport=PHONE, locale="zh-CN")
    greeting = page.locator(W + ".msg.greeting")
    assert "您好" in await greeting.inner_text()  # a greeting by default, in the visitor's language
    panel = await page.locator(W + ".panel").bounding_box()
    assert (
        panel is not None
        and panel["width"] == PHONE["width"]
        and panel["height"] == PHONE["height"]
    )
    await page.screenshot(path=str(SHOTS / "widget-phone.png"))
    await page.keyboard.press("Escape")
    await page.locator(W + ".panel").wait_for(state="hidden")
    conversation = await conversation_of(page)
    # While it is closed, an agent writes: the launcher counts it.
    agent = await agent_headers(server)
    async with httpx.AsyncClient(base_url=server) as http:
        await http.post(f"/api/v1/agent/conversations/{conversation['id']}/claim", headers=agent)
        await http.post(
            f"/api/v1/agent/conversations/{conversation['id']}/messages",
            headers=agent,
            json={"content": "你好，有什么可以帮您？", "client_msg_id": "care-1"},
        )
    await page.locator(W + ".unread", has_text="1").wait_for()
    await page.click(W + ".bubble")
    await page.locator(W + ".msg.agent", has_text="你好").wait_for()
    assert await page.locator(W + ".unread").is_hidden()
    await page.click(W + ".x")
    await page.locator(W + ".panel").wait_for(state="hidden")
    await page.reload()  # read before the reload: not counted again
    await page.wait_for_timeout(800)
    assert await page.locator(W + ".unread").is_hidden()
    await context.close()


async def test_a_waiting_visitor_leaves_an_email_the_agent_sees(server, browser):
    context, page = await open_widget(browser, server)
    await page.click(W + ".human")
    contact = page.locator(W + ".contact")
    await contact.wait_for()
    await page.fill(W + ".contact input", "ana@example.com")
    await page.click(W + ".contact button")
    await page.locator(W + ".contact-note", has_text="ana@example.com").wait_for()
    conversation = await conversation_of(page)
    async with httpx.AsyncClient(base_url=server) as http:
        detail = await http.get(
            f"/api/v1/agent/conversations/{conversation['id']}", headers=await agent_headers(server)
        )
    assert detail.json()["visitor"]["email"] == "ana@example.com"
    await context.close()


async def test_a_signed_in_customer_is_verified_and_the_next_one_starts_afresh(server, browser):
    from shared.conversations.identity import user_hash

    secret = await identity_secret(server, "owner@identity.example")
    context = await browser.new_context(viewport=DESKTOP)
    page = await context.new_page()
    await page.goto(f"{server}/demo")
    ana = {"user_id": "cust-7", "user_hash": user_hash(secret, "cust-7"), "name": "Ana",
           "attributes": {"plan": "pro"}}  # fmt: skip
    await page.evaluate("who => window.kefu.identify(who)", ana)
    await page.click(W + ".bubble")
    await page.fill(W + "input", "Is delivery free?")
    await page.press(W + "input", "Enter")
    await page.locator(W + ".msg.bot .src").wait_for()
    first = await conversation_of(page)
    async with httpx.AsyncClient(base_url=server) as http:
        detail = await http.get(
            f"/api/v1/agent/conversations/{first['id']}", headers=await agent_headers(server)
        )
    visitor = detail.json()["visitor"]
    assert (visitor["verified"], visitor["name"], visitor["attributes"]) == (
        True,
        "Ana",
        {"plan": "pro"},
    )

    # Ana signs out and Ben signs in on the same browser: Ben never sees Ana's conversation.
    ben = {"user_id": "cust-8", "user_hash": user_hash(secret, "cust-8"), "name": "Ben"}
    await page.evaluate("who => window.kefu.identify(who)", ben)
    assert await page.locator(W + ".msg:not(.greeting)").count() == 0
    await page.fill(W + "input", "Hello")
    await page.press(W + "input", "Enter")
    await page.locator(W + ".msg.bot:not(.greeting)").wait_for()
    second = await conversation_of(page)
    assert second["id"] != first["id"] and second["user_id"] == "cust-8"
    await context.close()


async def test_a_visitor_who_signs_in_mid_conversation_keeps_it(server, browser):
    from shared.conversations.identity import user_hash

    secret = await identity_secret(server, "owner@signin.example")
    context = await browser.new_context(viewport=PHONE, locale="zh-CN")
    page = await context.new_page()
    await page.goto(f"{server}/demo")
    await page.click(W + ".bubble")
    await page.fill(W + "input", "免费配送吗？")
    await page.press(W + "input", "Enter")
    await page.locator(W + ".msg.bot:not(.greeting)").wait_for()
    before = await conversation_of(page)
    shown = await page.locator(W + ".msg:not(.greeting)").count()

    cara = {"user_id": "cust-9", "user_hash": user_hash(secret, "cust-9"), "name": "Cara"}
    await page.evaluate("who => window.kefu.identify(who)", cara)
    await page.wait_for_function(
        "() => JSON.parse(localStorage.getItem('kefu:demo')).user_id === 'cust-9'"
    )
    after = await conversation_of(page)
    assert after["id"] == before["id"], "the same conversation goes on"
    assert await page.locator(W + ".msg:not(.greeting)").count() == shown
    await page.fill(W + "input", "谢谢")
    await page.press(W + "input", "Enter")
    await page.locator(W + ".msg.visitor", has_text="谢谢").wait_for()
    async with httpx.AsyncClient(base_url=server) as http:
        detail = await http.get(
            f"/api/v1/agent/conversations/{after['id']}", headers=await agent_headers(server)
        )
        messages = await http.get(
            f"/api/v1/conversations/{after['id']}/messages",
            headers={"Authorization": f"Bearer {after['token']}"},
        )
    visitor = detail.json()["visitor"]
    assert (visitor["verified"], visitor["user_id"], visitor["name"]) == (True, "cust-9", "Cara")
    assert "谢谢" in [m["content"] for m in messages.json()["messages"]]
    await context.close()
