"""Does a visitor's message ask for a person? English and Chinese, rules not model text.

A request for a human names a person (human, agent, operator, 人工, 真人, 客服人员, 经理…) *and*
asks for one (talk to, get me, transfer, 找, 转, 叫, 有没有…), or is only the person's name
("agent please", "人工"), or is the visitor giving up on the bot ("this bot is useless",
"机器人听不懂"). A person word alone is not a request: "human resources", "human hair wigs",
"travel agent", "客服电话多少", "人工智能" stay with the bot. Measured on a labelled set of
requests and look-alikes in both languages (tests/data/human_requests.json).
"""

from __future__ import annotations

import re

__all__ = ["asks_for_human"]

_PERSON_EN = (
    r"(?:(?:a|an|the|your|some|real|live|actual|human|proper)\s+){0,3}"
    r"(?:human(?:\s+being)?|person|people|agent|operator|representative|rep|someone|somebody|"
    r"anyone|anybody|staff(?:\s+member)?|employee|manager|supervisor|"
    r"customer\s+(?:service|support|care)(?:\s+(?:agent|rep|representative|team|person))?|"
    r"support\s+(?:agent|team|person|staff)|live\s+(?:chat|support)|team\s+member)"
)
# Words that make "human"/"agent"/"people" something else than a person to talk to.
_NOT_A_PERSON_EN = re.compile(
    r"\bhuman[\s-]+(?:resources?|hair|rights|error|body|readable|nature|capital|trafficking)\b|"
    r"\b(?:travel|real\s+estate|shipping|insurance|cleaning|customs|booking)\s+agents?\b|"
    r"\bagents?\s+(?:fee|fees|commission)\b",
    re.IGNORECASE,
)
_ASKS_EN = re.compile(
    rf"\b(?:talk|speak|chat|connect|transfer|put|pass|hand|switch|escalate|forward|get|give|"
    rf"bring|send|call|find|want|need|like|prefer|request|reach|contact)\b[^.?!\n]{{0,25}}?"
    rf"\b(?:to|with|me|through|over)?\s*{_PERSON_EN}\b"
    rf"|\b(?:is|are)\s+there\s+(?:a|an|any)?\s*(?:real\s+|live\s+|actual\s+)?"
    rf"(?:human|person|agent|operator|one|body|representative|staff)\b"
    rf"|\b(?:can|could|may)\s+i\s+(?:have|get|talk|speak|chat)\b[^.?!\n]{{0,20}}?{_PERSON_EN}\b"
    rf"|\b(?:real|live|actual)\s+(?:human|person|people|agent)\b"
    rf"|\b(?:can|could|will|would)\s+(?:a|an|the|some|your)?\s*(?:staff(?:\s+member)?|human|"
    rf"person|agent|someone|somebody|anyone|employee)\s+(?:help|assist|call|contact|look\s+at)\b",
    re.IGNORECASE,
)
# The whole message is the person asked for: "agent", "operator please", "human!!", "a real person".
_ONLY_PERSON_EN = re.compile(
    r"^\W*(?:(?:i\s+)?(?:want|need)\s+)?(?:a|an)?\s*(?:real\s+|live\s+)?"
    r"(?:human|person|agent|operator|representative|rep|customer\s+service|support|manager)"
    r"(?:\s*(?:please|pls|plz|now|asap))*\W*$",
    re.IGNORECASE,
)
_GIVES_UP_EN = re.compile(
    r"\b(?:this|the|you|your|stupid|useless|dumb)\s+(?:bot|chatbot|robot|machine|ai|assistant)\b"
    r"[^.?!\n]{0,20}?\b(?:useless|stupid|dumb|not\s+help|no\s+help|doesn'?t\s+help|isn'?t\s+help|"
    r"not\s+working|sucks|waste)"
    r"|\b(?:you(?:'re|\s+are)|this\s+is)\s+(?:useless|not\s+helping|no\s+help)\b"
    r"|\b(?:stop|quit|enough)\b[^.?!\n]{0,15}\b(?:bot|robot|machine|ai)\b"
    r"|\bnot\s+(?:a\s+|the\s+)?(?:bot|robot|machine|ai)\b[^.?!\n]{0,15}\b(?:human|person|someone)\b"
    r"|\b(?:don'?t|do\s+not)\s+want\s+(?:to\s+(?:talk|speak|chat)\s+(?:to|with)\s+)?"
    r"(?:a\s+|the\s+|this\s+)?(?:bot|robot|machine|ai)\b",
    re.IGNORECASE,
)

_PERSON_ZH = (
    r"(?:人工(?:客服|服务|坐席)?|真人(?:客服)?|活人|客服(?:人员|专员|小姐姐|小哥)?|工作人员|"
    r"服务人员|售后(?:人员|客服)?|经理|主管|负责人|领导|坐席|人)"
)
_ASKS_ZH = re.compile(
    rf"(?:转|转接|转到|接通|接|找|要|叫|换|请|让|喊|联系|呼叫)(?:一?个|一下|下)?(?:你们的?|您们的?)?"
    rf"{_PERSON_ZH.replace('|人)', ')')}"
    rf"|有没有{_PERSON_ZH}|有{_PERSON_ZH}吗"
    rf"|(?:能不能|能否|可不可以|可以|能)(?:帮我)?(?:让|找|转|叫|换|请)?{_PERSON_ZH.replace('|人)', ')')}"
    rf"|(?:人工|真人)(?:客服|服务)?(?:吗|呢|在吗|在不在)|^\s*(?:人工|真人|转人工|人工服务|人工客服)\s*[!！?？。.]*\s*$"
    rf"|我要(?:跟|和|同)(?:真人|人|人工)(?:说|聊|讲|沟通)"
)
_NOT_A_PERSON_ZH = re.compile(
    r"人工智能|人工费|人工成本|人工草坪|人工湖|客服电话|客服邮箱|客服时间"
)
_GIVES_UP_ZH = re.compile(
    r"(?:机器人|智能客服|自动回复|你)(?:真|太|好|根本|完全)?(?:没用|不行|听不懂|太笨|笨死|答非所问|帮不了)"
    r"|不要(?:跟|和)?(?:机器人|自动回复|智能客服)|别(?:用)?机器人"
)


def asks_for_human(text: str) -> bool:
    """True when ``text`` asks for a person (or gives up on the bot), in English or Chinese."""
    if _ONLY_PERSON_EN.match(text) or _GIVES_UP_EN.search(text) or _GIVES_UP_ZH.search(text):
        return True
    if _ASKS_ZH.search(_NOT_A_PERSON_ZH.sub("", text)):
        return True
    english = _NOT_A_PERSON_EN.sub(" ", text)
    return bool(_ASKS_EN.search(english))
