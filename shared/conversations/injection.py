"""Messages that try to steer the bot off its job, answered with a polite refusal (rules, EN/ZH).

Four kinds: overriding its instructions ("ignore your instructions", 忽略之前的指令, "you are
now…"), asking for its prompt (系统提示词), asking it to hand out a discount code it was never
given, and asking about another customer's order or details. Each needs the *request*, not the
topic: "How do I use a discount code?" or "what does your returns policy say" stay questions for
the knowledge base. Measured on a labelled set of attacks and look-alikes
(tests/data/injection.json). The model never sees a refused message.
"""

from __future__ import annotations

import re

from ..kb.tokenize import simplified
from ..texts import Texts

__all__ = ["refusal_kind", "REFUSAL"]

REFUSAL = Texts(
    en="Sorry, I can't help with that. I'm happy to answer questions about our products, "
    "services and your own orders, or to connect you with a human agent.",
    zh="抱歉，这个我无法帮您处理。我可以解答关于我们的产品、服务和您本人订单的问题，"
    "也可以为您转接人工客服。",
)

_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "instructions",
        re.compile(
            r"\b(?:ignore|disregard|forget|override|bypass)\b[^.?!\n]{0,30}?"
            r"\b(?:instructions?|rules?|prompts?|guidelines|restrictions|programming|system)\b"
            r"|\byou\s+are\s+now\b(?!\s+(?:open|closed|available|online|offline)\b)|\bpretend\s+(?:to\s+be|you(?:'re|\s+are))\b"
            r"|\bact\s+as\s+(?:a|an|my)\b[^.?!\n]{0,30}?\b(?:without|with\s+no|unrestricted)\b"
            r"|\b(?:developer|god|jailbreak|dan)\s+mode\b|\bjailbreak\b",
            re.IGNORECASE,
        ),
    ),
    (
        "instructions",
        re.compile(
            r"(?:忽略|无视|忘记|忘掉|不要理会|跳过)(?:你|您)?(?:之前|以上|上面|前面|所有|全部|的)*"
            r"(?:的)?(?:指令|指示|规则|提示词?|设定|限制)"
            r"|你现在是(?:一个|一名)?|(?:扮演|假装你是|假装成)"
        ),
    ),
    (
        "prompt",
        re.compile(
            r"\b(?:show|reveal|print|repeat|output|give|tell|what(?:'s|\s+is|\s+are))\b[^.?!\n]{0,20}?"
            r"\b(?:your|the)\s+(?:system\s+|initial\s+|hidden\s+|original\s+)?"
            r"(?:prompt|instructions|system\s+message|rules\s+you\s+follow)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "prompt",
        re.compile(
            r"系统提示|提示词|(?:你的|你收到的)(?:指令|设定|规则)是什么|把你的(?:指令|设定)"
        ),
    ),
    (
        "discount",
        re.compile(
            r"\b(?:give|send|generate|make\s+up|create|invent|find)\s+(?:me\s+|us\s+)?"
            r"(?:a\s+|an\s+|some\s+|any\s+|one\s+)?(?:free\s+|secret\s+|valid\s+|working\s+)?"
            r"(?:discount|coupon|promo(?:tion)?|voucher|gift\s*card)\s*codes?\b",
            re.IGNORECASE,
        ),
    ),
    (
        "discount",
        re.compile(
            r"(?:给我|发我|发给我|生成|编一个|来一个|送我)(?:一个|几个)?(?:优惠码|折扣码|优惠券码?|兑换码|券码)"
        ),
    ),
    (
        "other_customer",
        re.compile(
            r"\b(?:what|what's|tell|show|look\s+up|check|give|find|see|get|send|know)\b"
            r"[^.?!\n]{0,25}?\b(?:someone\s+else's|somebody\s+else's|another\s+(?:customer|person|user)'s|"
            r"other\s+(?:customers?|people|users?)'s?|my\s+(?:neighbou?r|ex|friend|colleague)'s)\s+"
            r"(?:orders?|address|phone|email|details|account|information|info|purchases?)\b",
            re.IGNORECASE,
        ),
    ),
    (
        "other_customer",
        re.compile(
            r"(?:查|看|告诉我|给我|发我|找|调出)[^。？！\n]{0,6}?"
            r"(?:别人|其他(?:客户|顾客|用户|人)|他人|邻居|朋友)的(?:订单|地址|电话|手机号|邮箱|信息|账号|购买记录)"
        ),
    ),
)


def refusal_kind(text: str) -> str | None:
    """Which kind of steering ``text`` attempts, or None for an ordinary message (traditional
    Chinese read as simplified: 系統提示詞, 給我優惠碼)."""
    text = simplified(text)
    for kind, pattern in _RULES:
        if pattern.search(text):
            return kind
    return None
