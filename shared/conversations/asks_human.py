"""Does a visitor's message ask for a person? English and Chinese, rules not model text.

A request for a human names a person (human, agent, operator, 人工, 真人, 客服人员, 经理…) *and*
asks for one (talk to, get me, transfer, 找, 转, 叫, 有没有…), or is only the person's name
("agent please", "人工"), or is the visitor giving up on the bot ("this bot is useless",
"机器人听不懂"). A person word alone is not a request: "human resources", "human hair wigs",
"travel agent", "客服电话多少", "人工智能" stay with the bot. Built on a labelled set of requests
and look-alikes in both languages (human_examples/built_with.json), widened by kind from the
misses of held-out sets, each read after the round it was held out for (human_examples/).

Word rules close the kinds they have seen and miss new ones. So when the built-in embedder runs,
a message the rules let pass is also compared with every labelled example: nearer to the
requests than to the look-alikes and ordinary messages (human_examples/ordinary.json) by a clear
margin, it is one too (:class:`NearestRequests`). The margin was chosen by leaving each example
file out in turn, then scored on a held-out set it never saw (docs/benchmarks.md).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import threading
import unicodedata
from functools import lru_cache
from itertools import islice
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA

from ..kb.bridge import common_english_words, known_word
from ..kb.query import max_slips
from ..kb.tokenize import ENGLISH_FUNCTION_WORDS, simplified, tagged_words
from .injection import refusal_kind

__all__ = ["asks_for_human", "asks_again", "NearestRequests", "warm_up"]

# Where a manager or supervisor is one: "the store manager", "your shift supervisor".
_POST = (
    r"(?:store|shop|branch|duty|shift|night|day|floor|general|area|office|account|site|team|"
    r"department|operations|customer\s+service)"
)
# A department whose people the visitor is sent to: "your returns people", "the billing team".
_DEPARTMENT_EN = (
    r"(?:support|service|sales|care|billing|returns|refunds|accounts?|complaints|customer\s+relations|"
    r"tech(?:nical)?(?:\s+support)?)"
)
# Who stands above whoever the visitor has: "escalate this to head office", "raise it with management"
_ABOVE_EN = (
    r"(?:(?:your|the|a)\s+)?(?:head\s+office|headquarters|hq|management|corporate(?:\s+office)?|"
    r"superiors?|higher[\s-]+ups?|(?:some(?:one|body)|any(?:one|body))\s+(?:higher|above|senior)|"
    r"(?:the\s+)?next\s+level|(?:a|the)\s+(?:senior|higher)\s+[a-z]+|"
    rf"{_DEPARTMENT_EN}\s+(?:department|team))"
)
# One of the shop's people: "a member of staff", "a member of your customer team"
_MEMBER_EN = r"member\s+of\s+(?:(?:your|the)\s+)?(?:staff|(?:your|the)\s+(?:[a-z]+\s+)?team)"
# "someone senior", "somebody in charge": who can decide
_SOMEONE_EN = (
    # (texting's sum1, some1, any1, ne1 too)
    r"(?:(?:some|any)(?:one|body)|s[ou]m1|any1|ne1)(?:\s+(?:more\s+)?(?:senior|in\s+charge|higher\s+up|qualified|"
    r"experienced))?"
)
# A person named in Chinese (an English name for one too: 可以找human客服吗, 转 agent please) …
_SOMEONE_ZH = (
    r"(?:人工(?:客服|服务|坐席)?|真人(?:客服|服务)?|活人|"
    r"(?:在线|人工)?客服(?:人员|专员|小姐姐|小哥哥|小哥|小妹|妹妹|妹子|小姐|哥哥|姐姐|大哥|美女|帅哥|同事|(?i:mm|gg)|人(?=呢|在|去哪|都))?|"
    # 负责嘅姑娘 (Hong Kong's word for a nurse, after 的: 找个姑娘 is someone else)
    r"(?<=的)姑娘|"
    # (房东: the landlord a lettings service answers for, like a shop's owner; not 房东直租, a kind of letting)
    r"工作人员|服务人员|职员|售后(?:服务人员|人员|客服|同事)?|经理|店长|店主|房东(?!直租|直签|房源)|主管|负责人|领导|坐席|专人|专员|"
    # 客户服务主任 (customer service, spelled out; 主任, who heads a desk or a ward)
    # (not 客户服务中心在哪里: a place)
    r"客户服务(?:主任|人员|代表|专员)?(?!中心|部|热线|电话|时间)|主任|"
    # 相关负责同志, 相关人员: whoever looks after the matter (formal)
    r"(?:相关)?负责(?:的)?(?:同志|人员|同事)|相关人员|"
    # who heads a place: 馆长, 院长, 校长, 站长, 行长…
    r"[馆院校站队科处行厂组园所]长|"
    # who serves in a shop: 店员, 导购, 营业员, 售货员
    r"店员|导购|营业员|售货员|"
    # who sells for the shop: 业务员, 销售顾问
    r"业务员|业务经理|销售员|销售人员|销售顾问|"
    # who stands above: 上司, 管理人员
    r"上司|管理人员|管理层|"
    # a trade's person on duty: 值班的医生 (医生 alone may be any doctor: 要医生证明吗)
    r"(?=医生|护士|技师|技术员|工程师|师傅|药剂师)(?:(?<=值班)|(?<=值班的)|(?<=当班)|(?<=当班的)|(?<=当值)|(?<=当值的))"
    r"(?:医生|护士|技师|技术员|工程师|师傅|药剂师)|"
    # the front desk: 前台, 总台, 服务台, 接待处 (as "front desk", "reception")
    r"前台(?!页面|系统|程序|界面|代码|开发)|总台|服务台|接待处|接待员|"
    # who takes calls: 接线员 (接線生), 话务员, 客服代表
    r"接线员|接线生|话务员|客服代表|客户经理|客户代表|"
    # 人手 (Cantonese): work by a person, where it is asked to handle something (人手处理; 人手不足 is
    # how many staff a shop has)
    r"人手(?=处理|跟进|回复|解答|帮|服务|客服|接)|"
    # 同事 is the shop's where it is said so (你们的同事, 售后的同事, 其他同事); bare, it may be the
    # visitor's own (让同事帮我下单)
    # (能请一位同事协助我吗: one of them asked for; not 请一位同事帮我下单, maybe the visitor's own)
    r"(?:(?<=的)|(?<=你们)|(?<=您们)|(?<=们些)|(?<=其他)|(?<=别的)|(?<=能请一位)|(?<=可以请一位)|(?<=麻烦请一位)|"
    r"(?<=能否请一位))同事|"
    r"掌柜|店小二|(?<!我家)(?<!老)小二|管事的(?:人)?|"
    # a marketplace's seller and the platform's people: 找商家, 叫你们运营来, 有没有管理员在 (管理员权限 is a setting)
    r"商家(?!版|端|后台|入驻|中心|号)|卖家(?!版|端|后台|中心)|店家|(?:(?<=你们)|(?<=你们的)|(?<=平台))运营(?:人员|同学)?|"
    r"运营(?:人员|同学)|管理员(?!权限|账号|账户|密码|模式|登录|后台|身份|角色|设置)|"
    # 你们值班的在吗: whoever is on duty (值班的时间 is when)
    r"(?:值班|当班|当值)的(?:人|同事)?(?=在|呢|来|出来|过来|吗|么|嘛|[，,。！!？?\s]|$)|"
    # 你们技术员什么时候联系我: the shop's technical people (技术员证书 is a qualification)
    r"(?:(?<=你们)|(?<=你们的)|(?<=您们的))(?:技术员|技术人员|工程师|技师|师傅)|"
    # a department's or the shop's people: 售后的人, 你们的人 (我的人, 别人 are no one of the shop's)
    r"(?:售后|售前|技术|财务|物流|销售|门店|店里|(?<!我)们)(?:部|部门|组|团队)?的人|"
    # (找你们 boss)
    r"(?i:(?:real\s*|live\s*)?(?:human|agent|operator|person|representative|staff|manager|boss|"
    r"supervisor|customer\s*service|(?:support|service|sales)\s*team|some(?:one|body)|sb|"
    # (找 account manager: the shop's named contact)
    r"(?:account|relationship|customer\s*success)\s*(?:manager|executive)|"
    # (搵個 sales 同我傾: the salesperson; not 有没有 sales 活动: a sale)
    r"sales(?!\s*(?:活动|折扣|促销|季|价|event|promo|discount|season)))|"
    # (叫你们 CS 过来; not CS 的工作时间)
    # (GM在吗: a game's game master; transfer 我去 CS 同事度: CS's colleagues)
    # (对接一下你们的 BD: business development, the shop's partnerships person)
    r"(?-i:CS|GM|BD)(?=\s*(?:过来|来|出来|在吗|在不在|在线|呢|同事|人员|团队|[!！?？]|$)))\s*(?:客服)?)"
)
# The languages a visitor may ask to be served in
_LANGUAGE_EN = (
    r"(?:english|spanish|french|german|polish|italian|portuguese|chinese|mandarin|cantonese|arabic|russian|"
    r"japanese|korean|hindi|urdu|welsh|dutch|turkish|vietnamese|thai|romanian|greek|ukrainian)"
)
# The shop's boss, asked for ("your boss", "the boss"; "my boss" is the visitor's own)
_BOSS_EN = r"(?<=your\s)boss|(?<=the\s)boss"
# The support above the first ("tier two support", "second-line support"), not a plan's tier
_TIER_EN = (
    # ("escalate to L2 support": level two, in a support desk's shorthand)
    r"(?:(?:tier|level)[\s-]*(?:two|2|ii|three|3|iii)|[lt][23]|(?:second|2nd|third|3rd)[\s-]+line)\s+"
    r"(?:support|team|agents?|engineers?|techs?|technicians?)"
    r"(?!\s+(?:plan|package|subscription|contract|option|price|pricing|cost|fee|add-?on|hours))"
)
# Someone of the shop's named by their trade in Chinese: 销售, 设计师, 导游, 护士…
_TRADE_ZH = (
    # (业务: Taiwan's word for the salesperson)
    # (中介, 房仲, 经纪人: who lets or sells a home for the shop)
    # (管理员: who looks after a place, a marina's or a car park's)
    r"(?:销售|业务|设计师|导游|领队|老师|护士|医生|药剂师|技师|技术员|工程师|师傅|顾问|律师|会计|教练|中介(?!费)|房仲|经纪人|船长|管理员|"
    # … and any named by what they do + 师 / 师傅: 婚礼策划师, 摄影师, 宽带师傅
    # (not 个 / 位 / 一: 找个摄影师 is "a photographer")
    r"(?![个位一这那])[\u4e00-\u9fff]{1,4}(?:师傅|师|匠)|"
    # … and 技术 for one, asked to ring or talk (安排技术给我回个电话; not 技术问题)
    r"技术(?=(?:尽快|马上|直接|当面)?(?:给|跟|和|同|与)我))"
)
# A language a person speaks: 说中文的客服, 讲粤语的
_LANGUAGE_ZH = (
    r"(?:中文|普通话|国语|汉语|华语|英文|英语|粤语|广东话|白话|日语|日文|韩语|法语|德语|俄语|越南语|泰语|"
    r"闽南语|台语|客家话|上海话)"
)
# A person kept for the visitor: 专属客服, VIP客服, 金牌客服
_RANK_ZH = r"(?:专属|专职|(?i:vip)\s*|高级|资深|金牌|贵宾|一对一的?)"
# … or just 人 (找个人, 有人在吗).
_PERSON_ZH = rf"(?:{_SOMEONE_ZH}|人)"
# "CS" (customer service, South-East Asia's English), where it is the people: "any CS online?", "talk with CS?"
_CS_EN = r"(?-i:CS)(?=\s*(?:[?.!,]|$|online|now|team|agents?|staff|please|pls|here|there|available|在|过来|来))"
# "the head of customer care": who runs a department
_HEAD_EN = (
    rf"head\s+of\s+(?:the\s+)?(?:{_DEPARTMENT_EN}|customer\s+(?:care|services?|support)|department|"
    r"store|shop)"
)
_PERSON_EN = (
    r"(?:(?:a|an|the|your|some|real|live|actual|human|proper|senior|more\s+senior|chief|head)\s++){0,3}"
    r"(?:human(?:\s+being)?|person|people|agent|operator|representative|rep|"
    # ("speak with some worker of yours"; "a responsible person": the one in charge)
    r"workers?(?=\s+of\s+yours)|responsible\s+(?:person|persons|people|staff(?:\s+member)?|officer|employee)|"
    r"call\s+cent(?:re|er)(?:\s+(?:staff|agents?|team))?|"
    rf"{_HEAD_EN}|"
    rf"{_SOMEONE_EN}|staff(?:\s+member)?|{_MEMBER_EN}|employee|manager|{_TIER_EN}|"
    r"supervisor|advis[eo]rs?|consultants?|"
    # a software vendor's people by their initials: "our CSM", "an SE", "the TAM" (capitals only: "se", "ae")
    # ("need a real GM not a bot": a game's game master; not a GM car or part)
    r"(?-i:CSMs?|TAMs?|CSRs?|AEs?|SEs?|GMs?(?!\s+(?:cars?|vehicles?|trucks?|parts?|engines?|models?|dealers?|foods?|crops?)\b))|"
    # … and "CS": customer service, in South-East Asia's English ("can I talk with CS?"; not "a CS degree")
    rf"{_CS_EN}|"
    # "the concerned department", "the concerned person": India's English for whoever looks after the matter
    r"(?<=the\s)concerned\s+(?:person|persons|people|department|dept|team|official|officer|authority|staff|"
    r"executive|section)|"
    # "a responsible of the shop": French and Spanish speakers' word (responsable) for the person in charge
    r"(?:(?<=\ba\s)|(?<=\bthe\s))responsible(?=\s+(?:of|at|from|in)\b)|"
    # (not "a specialist hearing test": a thing done by one)
    rf"(?:specialist|expert)s?(?!\s+(?:tests?|hearing|eye|appointments?|consultations?|treatments?|services?|care|"
    rf"clinics?|shops?|stores?|equipment|tools?|advice|knowledge|courses?|training|insurance|cover|repairs?|cleaning|"
    rf"food|diet|paint|products?|scans?|assessments?|check|checks|level|skills?)\b)|"
    rf"(?:{_DEPARTMENT_EN}|customer\s+service)\s+(?:people|folks|guys)|team\s+lead(?:er)?|"
    # "a claims person", "the billing guy": whoever looks after it at the shop
    rf"(?:{_DEPARTMENT_EN}|claims|finance|hr|admin|bookings?|insurance|warranty)\s+(?:person|guy|lady)|"
    # "your support lead" (not "a sales lead": a customer-to-be)
    rf"(?:support|service|care|billing|returns|refunds|complaints|tech(?:nical)?)\s+(?:team\s+)?lead(?:er)?|"
    r"customer\s+(?:services?|support|care)(?:\s+(?:agent|rep|representative|team|person|department|"
    r"advis[eo]r|officer|associate|specialist|executive|consultant|staff))?|"
    r"support\s+(?:agent|team|person|staff|reps?|representatives?|advis[eo]rs?|officers?|"
    r"specialists?)|live\s+(?:chat|support)|team\s+member|"
    # the manager of a place or a desk: "the store manager", "a duty manager"
    rf"{_POST}\s+(?:manager|supervisor|officer)|"
    r"customer\s+(?:rep|representative|agent)|(?:store|shop|business)\s+owner|"
    rf"(?:help\s*desk|customer|{_DEPARTMENT_EN})\s+(?:team|department|desk|staff)|"
    # "the team" is the shop's people, not a thing of theirs ("send me the team photo")
    r"(?:(?<=your\s)|(?<=the\s))team(?!\s+(?!(?:about|at|in|on|for|to|from|who|that|please|pls|now|today|"
    r"directly|asap|here|there|and|or|regarding|re|so|because|as|if|again|instead|first|soon|back|when|with|"
    r"by|me|us|member|members|lead|leader)\b)[a-z])|"
    rf"(?<=your\s)(?:colleagues?|co-?workers?)|{_BOSS_EN}|(?<=\ba\s)colleague|"
    # "a co-worker of you": a German speaker's Mitarbeiter, the shop's
    r"(?:co-?workers?|colleagues?)\s+of\s+(?:you|yours)\b|"
    # "the Spanish speaking team", "a French-speaking agent"
    r"[a-z]+[\s-]speaking\s+(?:team|staff|agent|person|advis[eo]r|rep|representative|colleague|"
    r"some(?:one|body))|"
    r"one\s+of\s+(?:your|the)\s+(?:team|staff|colleagues|people|engineers|technicians|specialists|experts|"
    r"advis[eo]rs|consultants|agents|managers|supervisors|reps|representatives|employees|nurses|"
    r"doctors|vets|mechanics)|"
    # "your executive", "a customer care executive" (India's word for a customer service agent), "the
    # in-charge" (its word for the person in charge); not "the executive summary"
    r"(?:(?<=your\s)|(?<=the\s)|(?<=an\s))(?:(?:customer\s+(?:care|service|support)|sales|service|support|care|"
    r"relationship|account)\s+)?executive(?!\s+(?:summary|summaries|suite|lounge|chair|desk|edition|class|"
    r"package|room|floor|car|members?|membership|board|committee|pen|gift|box|version|model|range)\b)|"
    r"(?:(?<=your\s)|(?<=the\s))in[\s-]charge(?![\s-]+of\b|['’]s)|"
    # "one of you lot", "one of you guys": whoever is at the shop's end
    r"one\s+of\s+you(?:\s+(?:lot|guys|folks|people|two|there))?(?![a-z])|"
    # "a sales rep", "a billing agent": a department's people
    rf"{_DEPARTMENT_EN}\s+(?:reps?|representatives?|agents?|advis[eo]rs?|staff)|"
    r"owner\s+of\s+(?:the|this|your)\s+(?:store|shop|business|company)|"
    # "can I talk to 人工客服": a Chinese name for the person in an English sentence
    r"(?:一个|一位|个)?(?:你们|您们)?的?(?:人工|真人|客服|经理|店长|店主|主管|负责人)[\u4e00-\u9fff]{0,3}|"
    # 人工客服 put into English by a machine: "artificial customer service", "manual customer service"
    r"(?:artificial|manual)\s+customer\s+services?|artificial\s+(?:service|services|agent|seat))"
)
# Who the person is with: "someone from your company", "a rep from sales".
_FROM_EN = (
    r"(?:\s+(?:from|at|in|on)\s+(?:(?:your|the)\s+)?(?:customer\s+)?[a-z]+(?:\s+(?:and|&)\s+[a-z]+)?"
    # ("someone at the tattoo studio": a place of the shop's, named by what it does; "someone from the lift
    # pass office")
    r"(?:(?:\s+[a-z]+)?\s+(?:team|department|desk|reception|office|staff|studio|shop|store|salon|clinic|branch|centre|center|"
    r"place|venue|site|school|gym|garage|warehouse|network|company|firm|agency|club|group|service|"
    # ("a staff member from the camping hire", "someone at the riding stables")
    r"hire|rental|rentals|retreat|camp|farm|yard|workshop|depot|lab|practice|surgery|showroom|stables|kennels|"
    r"academy|park))?|\s+of\s+yours|"
    # "someone who works there", "a person who works for you"
    r"\s+(?:who|that)\s+works?\s+(?:there|here|for\s+(?:you|the\s+(?:shop|store|company)))|"
    # "the person who handles wholesale accounts": who looks after something for the shop
    r"\s+(?:who|that)\s+(?:handles|deals\s+with|looks\s+after|manages|runs|takes\s+care\s+of|"
    r"is\s+(?:in\s+charge\s+of|responsible\s+for))(?:\s+[a-z]+){1,3}?(?=\s)|"
    # "the person who packed my order": who did something for the visitor
    r"\s+(?:who|that)\s+(?:[a-z]+ed|sold|made|took|wrote|sent|cut|did|built|brought|served|fitted)\s+(?:me|us|my|our)"
    r"(?:\s+[a-z]+){0,2}?(?=\s)|"
    # "the person handling my claim"
    r"\s+(?:handling|dealing\s+with|looking\s+after|managing|in\s+charge\s+of|responsible\s+for)"
    r"(?:\s+[a-z]+){1,3}?(?=\s))?"
)
# Who a decline names: "no need for an agent", "No need for a supervisor, just cancel it".
_DECLINABLE = (
    r"(?:human|person|agent|operator|representative|rep|staff|someone|anyone|manager|supervisor)"
)
# A person declined, not asked for: "I don't need a human, just tell me…", "no need for an agent",
# "no need to transfer me", 不用转人工了, 不需要客服 ("I don't want a bot, I want a person" and
# 需不需要转人工 still ask).
_DECLINED_EN = (
    r"\b(?:(?:do\s+not|don'?t|doesn'?t|no|not|never)\s+(?:need|want|require)|no\s+need\s+(?:for|of)|"
    r"not\s+(?:asking|looking)\s+for|not\s+after|"
    r"without)\s+(?:to\s+(?:talk|speak|chat)\s+(?:to|with)\s+)?(?:(?:a|an|the|any|your)\s+)?"
    rf"(?:real\s+|live\s+)?{_DECLINABLE}\b|"
    r"\bno\s+need\s+to\s+(?:transfer|connect|put\s+through|pass|put|forward|hand)\s+me\b|"
    # "I don't want to bother your staff, what's the return address?"
    r"\b(?:don'?t|do\s+not|no\s+need\s+to)\s+(?:want\s+to\s+)?(?:bother|trouble|disturb)\s+"
    r"(?:(?:a|an|the|any|your)\s+)?(?:staff|team|human|person|agent|anyone|someone|people|manager)\b|"
    # "I'd rather not speak to anyone, email is fine"
    r"\b(?:rather|prefer)\s+not\s+(?:to\s+)?(?:speak|talk|chat|call|phone|ring|deal)\s+(?:to\s+|with\s+)?"
    r"(?:any(?:one|body)|some(?:one|body)|a\s+(?:real\s+)?(?:human|person|agent)|(?:your\s+)?staff)\b|"
    # "don't put me through to anyone", "please don't transfer me"
    r"\b(?:don'?t|do\s+not|never)\s+(?:transfer|connect|put|pass|forward|hand|escalate)\s+"
    r"(?:me|this|it)\s+(?:(?:through|on|over)\b|(?:to|with)\s+(?:any(?:one|body)|some(?:one|body)|"
    r"a\s+(?:real\s+)?(?:human|person|agent|rep)|an\s+(?:agent|operator)|(?:your\s+)?staff)\b)|"
    # "no need to bring in a person", "no need to get an agent involved"
    # ("No need to loop anyone in, thanks")
    r"\bno\s+need\s+to\s+(?:loop|bring|call|rope)\s+(?:any(?:one|body)|some(?:one|body)|a\s+(?:person|human)|"
    r"(?:your|the)\s+[a-z]+)\s+in\b|"
    r"\bno\s+need\s+to\s+(?:bring\s+in|call\s+in|loop\s+in|get|involve|fetch|find|ask\s+for)\s+"
    r"(?:(?:a|an|the|any|your)\s+)?(?:real\s+|live\s+)?"
    rf"{_DECLINABLE}\b"
)
_DECLINED_ZH = (
    # (不麻烦工作人员了: not troubling them)
    r"(?<![需用要])(?:不用|不需要|不要|不想要|不必|无需|用不着|没必要|不使|不麻烦|不打扰)(?:再)?(?:帮我|给我|替我)?"
    r"(?:转|找|叫|喊|请|联系|麻烦|安排)?(?:接)?"
    # 唔使搵經理 (read 不使找经理): any of the shop's people declined, a manager as a person
    r"(?:人工|真人|客服|工作人员|职员|员工|店员|同事|专员|人员|经理|店长|店主|主管|负责人|领导|老板)(?:客服|服务)?"
    # 我唔想同人講嘢 (read 不想同人讲): talking to a person declined
    r"|(?:不想|不要|不用|不需要|不必|不使)(?:再)?(?:跟|和|同|与)(?:真|活)?人(?:说|讲|聊|谈|沟通|对话)"
)
_DECLINES_A_PERSON = re.compile(rf"{_DECLINED_EN}|{_DECLINED_ZH}", re.IGNORECASE)
# The visitor's own job, not a person asked for: "I'm in customer service myself", "I work as a
# support agent", 我自己就是做客服的.
_OWN_ROLE_EN = (
    r"(?:\b(?:i'?m|i\s+am|i\s+was)\s+(?:also\s+|myself\s+)?(?:a|an|in)|"
    r"\bi\s+(?:also\s+)?(?:work|worked)\s+(?:in|as\s+an?)|\bas\s+(?:a|an))\s+(?:[a-z]+\s+)?"
    r"(?:(?:customer\s+(?:service|support|care)|support|service|call\s+cent(?:er|re))"
    r"(?:\s+(?:agent|rep|representative|operator|manager|supervisor|advis[eo]r|team))?|"
    r"agent|rep|representative|operator|manager|supervisor)\b(?:\s+myself)?"
)
_OWN_ROLE_ZH = (
    r"我(?:自己|本人)?(?:也|就|以前|之前|原来)?(?:是|在)(?:做|干|当|搞)?(?:人工)?"
    r"(?:客服|售后|经理|店长|主管|坐席)(?:的|工作|行业)?|"
    # the visitor's own company's people: 我们公司的经理想订台, 我司领导
    r"(?:我们|我|咱们)(?:公司|单位|店|部门|团队|学校|医院|门店)的?(?:经理|主管|领导|老板|负责人|同事|员工|客服|店长)|"
    r"我司(?:的)?(?:经理|主管|领导|老板|负责人|同事|员工|客服)"
)
# … or the one the visitor wants to take: "I'd like to become a volunteer", "apply to be a tutor" (near the
# requests in meaning for the nearest-example check, and none)
_BECOMES_EN = (
    r"\b(?:become|becoming|join\s+as|apply\s+(?:to\s+be|as))\s+(?:a|an|one\s+of\s+your)\s+[a-z]+"
)
_OWN_ROLE = re.compile(rf"{_OWN_ROLE_EN}|{_OWN_ROLE_ZH}|{_BECOMES_EN}", re.IGNORECASE)
# Someone the visitor has already been helped by ("I spoke to an agent yesterday and…", "a review
# for the staff member who helped me", 刚刚跟客服小李聊过了): near the requests in meaning, and
# none (every labelled example of this kind is a look-alike). Read by the nearest-example check
# only: the rules still hear "I spoke to Anna yesterday, but I need a person again".
_MET_ALREADY = re.compile(
    r"\b(?:who|that)\s+(?:helped|served|assisted|answered|called|sorted|dealt\s+with|handled|"
    r"looked\s+after|spoke\s+(?:to|with)|talked\s+(?:to|with))\s+(?:me|us|my|our)\b|"
    r"\b(?:i|we)\s+(?:already\s+|just\s+)?(?:spoke|talked|chatted)\s+(?:to|with)\b|"
    r"\b(?:spoke|talked|chatted)\s+(?:to|with)\s+(?:\w+\s+){0,2}(?:yesterday|earlier|last\s+week|"
    r"this\s+morning|before)\b|"
    r"(?:刚才|刚刚|之前|昨天|上次|已经|前几天)(?:已经)?(?:跟|和|同|与)[\u4e00-\u9fff]{0,6}?"
    r"(?:聊过|说过|讲过|沟通过|联系过|谈过|反映过|确认过)|"
    r"(?:已经)?(?:帮我|给我)(?:处理|解决|办)(?:好)?了",
    re.IGNORECASE,
)
_CLAUSES = re.compile(r"([,，.。;；!！?？]+|\s[-–—]\s)")


def without_declined_person(text: str) -> str:
    """``text`` without its clauses that decline a person ("no need for an agent, is delivery
    free?" asks about delivery; "no" and "agent" would pull it towards other passages)."""
    parts = [*_CLAUSES.split(text), ""]  # clause, what ends it, clause, …
    bare = "".join(
        parts[i] + parts[i + 1]
        for i in range(0, len(parts) - 1, 2)
        if not _DECLINES_A_PERSON.search(simplified(parts[i]))
    ).strip()
    return bare or text


# Someone had to do something, or asked to: "have a real person review my claim", "could an actual
# person check it" (fixed-width lookbehinds, one for each way of saying it).
_ONE_HAD_TO = "".join(
    rf"(?<!{verb}\s{article}\s)"
    for verb in ("have", "get", "let", "can", "could")
    for article in ("a", "an")
)

# What "human" names when it is no one: "human resources", "human hair wigs".
_HUMAN_AS_A_THING_EN = (
    r"(?:resources?|hair|rights|error|body|readable|nature|capital|trafficking|verification|captcha|tests?|"
    r"testing|trials?|anatomy|biology|geography|history|evolution|genome|species|interest|in[\s-]+the[\s-]+loop|"
    # what a person does as a service: "real human translation"
    r"translations?|translating|interpret(?:ing|ation)|proofreading|transcription|dubbing|voice[\s-]?overs?)"
)
# … in Chinese beside the English word ("human 翻译": human translation)
_HUMAN_AS_A_THING_ZH = r"(?:翻译|发|头发|验证|测试|校对|审核|配音|朗读|录音|资源)"
# A thing kept for the shop's people, not a person: "a staff discount", "the staff entrance".
_KEPT_FOR_STAFF_EN = (
    r"(?:discounts?|uniforms?|pric(?:e|es|ing)|rates?|sales?|plans?|editions?|tiers?|licen[cs]es?|seats?|"
    r"entrances?|rooms?|toilets?|parking|canteen|benefits?|perks?|picks?|badges?|cards?|accounts?|only)"
)
# Words that make "human"/"agent"/"people" something else than a person to talk to.
_NOT_A_PERSON_EN = re.compile(
    rf"{_DECLINED_EN}|{_OWN_ROLE_EN}|"
    # people counted, not asked for: "Does the board game need four people?"
    r"\b(?:\d+|two|three|four|five|six|seven|eight|nine|ten|twelve|a\s+few|several)\s+"
    r"(?:people|persons|humans|adults|players)\b|"
    # the visitor's own people: "send it to my agent", "my manager asked me to order"
    r"\b(?:my|our)\s+(?:own\s+|company'?s\s+)?(?:agent|rep|representative|manager|supervisor|colleague|boss|operator|"
    r"assistant|staff|employee)s?\b|"
    rf"\bhuman[\s-]+{_HUMAN_AS_A_THING_EN}\b|"
    # … or a Chinese one: "有冇 human 翻译 service" (human translation)
    rf"\bhuman\s*{_HUMAN_AS_A_THING_ZH}|"
    # a game's mode, not a person: "Is there a human vs human mode?"
    r"\b(?:humans?|ai|bots?|computers?|cpu)\s+(?:vs\.?|versus|v\.?|against)\s+(?:humans?|ai|bots?|computers?|cpu)\b|"
    # something given to someone, not a person asked for: "How do I give someone a moderator role?"
    r"\bgive\s+(?:some(?:one|body)(?:\s+else)?|any(?:one|body)|a\s+person|people)\s+(?=(?:a|an|the|my|our|access|"
    r"permission|permissions|admin)\b)|"
    # a compound that describes a thing: "a person-sized bean bag", "human-grade food"
    r"\b(?:human|person|people)-(?!to\b)[a-z]+\b|"
    # … or a thing kept for them: "a staff discount", "the staff entrance", "employee pricing"
    rf"\b(?:staff(?:\s+member)?|employee|team(?:\s+member)?|agent)\s+{_KEPT_FOR_STAFF_EN}\b|"
    # a thing the visitor sends or brings to the shop's people: "Can I send it to your returns team?"
    # ("can you forward my complaint to a manager" asks the shop to)
    r"\b(?:i|we)\s+(?:(?:can|could|should|will|shall|must|need\s+to|have\s+to|do)\s+)?(?:just\s+)?"
    r"(?:send|post|ship|return|mail|courier|drop\s+off)\s+(?:it|them|this|that|these|those|(?:the|my|our)\s+"
    r"(?!complaint|case|query|question|issue|problem|request|claim|concern)[a-z]+)"
    r"(?:\s+back)?(?=\s+to\b)|"
    # … or whether someone will do a thing, asked about: "I want know if somebody from your office will bring
    # boxes"
    # (left as "if somebody … will bring": "I want to know if someone can call me back" still asks)
    r"\b(?:want|wanna|need|like|wish)\s+(?:to\s+)?know\s+(?=(?:if|whether)\b)|"
    # … or a document the shop sends to someone: "Please send the invoice to my account representative"
    # ("forward my complaint to a manager" asks the shop to pass the matter on)
    r"\b(?:send|email|e-mail|post|mail|forward)\s+(?:the|a|an|my|our|this|that|your)\s+(?:[a-z]+\s+)?"
    r"(?:invoice|receipt|quote|quotation|bill|statement|contract|copy|documents?|paperwork|report|certificate|"
    r"tickets?|vouchers?|photos?|pictures?|confirmation|brochure|catalogue|catalog|price\s+list)s?(?=\s+to\b)|"
    # what it takes to use a thing, not a person asked for: "Does this need a human to assemble?"
    r"\b(?:need|needs|require|requires|take|takes)\s+(?:a|an|one|two|a\s+second)\s+(?:human|person|people|adults?)\s+"
    r"to\s+(?:assemble|install|fit|lift|carry|move|set\s+up|put\s+(?:it\s+|them\s+)?together|operate|use|"
    r"wear|build|mount|hang|unpack|play|ride|drive|push|hold)\b|"
    # … or to run it: "Does the goods lift need an operator?"
    # ("Does the scooter need someone to unlock it?")
    r"\b(?:does|do|will|would)\s+(?:the|this|that|it|your)\b[^.?!\n]{0,25}?\b(?:need|require)\s+(?:some(?:one|body)|"
    r"(?:a|an)\s+(?:operator|driver|attendant|engineer|technician|electrician|plumber|installer|fitter|person|human))\b"
    r"(?!\s+to\s+(?:call|contact|phone|ring|email))|"
    # an operator as a trade or a network: "an operator fee on calls", "the tour operator"
    r"\boperators?\s+(?:fee|charge|code|network|licen[cs]e)s?\b|"
    r"\b(?:network|mobile|phone|tour|crane|forklift|machine|camera)\s+operators?\b|"
    # (not the shop's own: "Can one of your travel agents rebook me?")
    r"(?<!your\s)\b(?:travel|real\s+estate|shipping|insurance|cleaning|customs|booking)\s+agents?\b|"
    r"\bagents?\s+(?:fee|fees|commission)\b|"
    # A person counted, priced or present, not asked for: "a person limit", "in person".
    r"\bper\s+person\b|\bperson\s+(?:limit|count|minimum|maximum|cap|price|rate|fee)s?\b|"
    r"\bin\s+person\b|\b(?:another|other|a\s+different)\s+(?:person|people)\b|"
    # Someone sent to do a job, as a practice: "Does the water company send someone to read the meter?"
    # ("Can you send someone to help me?" asks)
    r"\b(?:does|do|will|would)\s+(?:the|your|you)\b[^.?!\n]{0,25}?\bsend\s+(?:some(?:one|body)|a\s+(?:person|technician|"
    r"engineer))\s+to\s+(?!(?:talk|speak|help|call|contact|assist)\b)[a-z]+|"
    # Someone the visitor brings along: "Can I bring a support person?"
    r"\b(?:can|could|may|do|should)\s+(?:i|we)\s+(?:bring|take)\b|"
    # A role the visitor takes, or people as where something comes from: "become a reseller
    # agent", "are your reviews from real people?"
    # ("Do I need to be an authorized person to fly a drone?": what the visitor must be)
    r"\b(?:become|becoming|be|as)\s+(?:a|an|your)\s+(?:[a-z]+\s+)?(?:agent|representative|rep|person|human)s?\b|"
    r"\b(?:reseller|sales|selling|affiliate|local|authori[sz]ed|exclusive)\s+agents?\b|"
    # people hired, not asked for: "Are you hiring customer service agents?"
    r"\b(?:hiring|recruiting|hire|recruit|vacanc(?:y|ies)\s+for|jobs?\s+(?:as|for)|apply(?:ing)?\s+(?:as|to\s+be))"
    r"\s+(?:(?:a|an|more|new|any|some)\s+)?(?:[a-z]+\s+){0,2}?(?:agents?|reps?|representatives?|staff|"
    r"operators?|advis[eo]rs?|people|persons?|employees?|managers?|supervisors?)\b|"
    # ("I need help from real people" asks for them)
    r"(?<!help\s)(?<!assistance\s)(?<!support\s)\b(?:from|by|of)\s+(?:real|actual)\s+(?:people|humans?|persons?)\b|"
    # … or one wrote it: "Is this review from a real person?" ("Is this reply from a real person?"
    # asks whether the bot is one)
    r"\b(?:reviews?|comments?|ratings?|photos?|pictures?|testimonials?|videos?|stor(?:y|ies)|quotes?)\s+"
    r"(?:(?:is|are|was|were)\s+)?(?:(?:written|made|posted|left|taken|filmed)\s+)?(?:from|by)\s+(?:a|an)\s+"
    r"(?:real|actual)\s+(?:person|human)\b|"
    # … or employed: "Do you employ real people to pack orders?"
    r"\b(?:employ|employs|employed|hire|hires|hired|use|uses|used)\s+(?:real|actual)\s+"
    r"(?:people|humans?|persons?)\b|"
    # … or the ones who made something: "Do real people write your reviews?"
    # (not one had to do it: "Is it possible to have an actual person review my claim?")
    rf"{_ONE_HAD_TO}\b(?:real|actual)\s+(?:people|humans?|persons?)\s+(?:write|wrote|written|review|rate|test|"
    r"tested|make|made|design|designed|create|created|use|used|wear|buy|bought|model)\b|"
    # … or is said to: "MY GRANDSON SAYS A REAL PERSON READS THESE MESSAGES IS THAT TRUE"
    r"\b(?:says?|said|saying|heard|told\s+(?:me|us)|claims?|claimed|true\s+that|is\s+it\s+true)\s+(?:that\s+)?(?:a|the)\s+"
    r"(?:real|actual)\s+(?:person|people|humans?)\s+(?:read|reads|answer|answers|check|checks|reply|replies|respond|"
    r"responds|handle|handles|see|sees|review|reviews)\b|"
    # Whether a person did something: "Did a real person check my application?"
    r"\bdid\s+(?:a|an|the|any)?\s*(?:real|actual)\s+(?:person|people|humans?)\b|"
    # … or is one: "My mother is a real person, not a bot, so why was her account flagged?"
    r"\b(?:she|he|they|who|my\s+[a-z]+|[a-z]+'s)\s+(?:is|was|are|were)\s+(?:a\s+)?(?:real|actual)?\s*"
    r"(?:person|people|humans?)\b(?:\s*,?\s*not\s+(?:a\s+)?(?:bot|robot|machine|ai)\b)?|"
    # … or does something as a rule: "Are real people answering the phone line on weekends?",
    # "Do real people read the reviews before they're posted?" (after do / does, whatever they do: "Do real
    # people roast the coffee by hand?")
    r"\b(?:do|does)\s+(?:the\s+)?(?:real|actual)\s+(?:person|people|humans?)\s+(?!(?:exist|here|there)\b)[a-z]+|"
    r"\b(?:are|do|does|is|will)\s+(?:the\s+)?(?:real|actual)\s+(?:person|people|humans?)\s+(?:answer|answers|"
    r"answering|work|works|working|staff|staffing|run|running|reply|replying|respond|responding|"
    r"handle|handling|pick\s+up|picking\s+up|read|reads|reading|check|checks|checking|moderate|"
    # ("Do real people pick my groceries?")
    r"pick|picks|picking|pack|packs|packing|cook|cooks|deliver|delivers|choose|chooses|select|selects|"
    r"moderates|moderating|approve|approves|approving|vet|vets|vetting|screen|screens|screening|"
    r"review|reviews|reviewing)\b|"
    # … or watches over a place: "Is a real person monitoring the camp at night?" (not "… monitoring this chat?")
    r"\b(?:are|do|does|is|will)\s+(?:the\s+|a\s+|an\s+)?(?:real|actual)\s+(?:person|people|humans?)\s+(?:monitor|monitors|"
    # ("Is a real human narrating the audiobook?")
    r"monitoring|supervise|supervises|supervising|patrol|patrols|patrolling|guard|guards|guarding|narrate|narrates|"
    r"narrating|voice|voices|voicing|sing|sings|singing|perform|performs|performing)\b"
    r"(?!\s+(?:this|these|my|our|the\s+(?:chat|messages?|conversation|line|inbox)))|"
    # A person by age, as what it takes: "Do you need someone over 18 to book?"
    r"\b(?:some(?:one|body)|any(?:one|body)|a\s+person|people|an\s+adult)\s+(?:over|under|aged|above|below|older\s+than|"
    r"younger\s+than)\s+\d+|"
    # Someone needed for something else: "Do you need someone at home to receive it?"
    # ("Do I need a human to sign for the delivery?")
    r"\b(?:some(?:one|body)|any(?:one|body)|a\s+(?:person|human)|an\s+adult)\s+(?:(?:to\s+be\s+)?(?:at\s+home|home|present|"
    r"there)\s+)?to\s+(?:sign|receive|collect|pick\s+(?:it\s+)?up|accept|be\s+(?:home|present|there))\b|"
    # … or present for it: "Do I need a person present for installation?"
    r"\b(?:some(?:one|body)|any(?:one|body)|a\s+(?:person|human)|an\s+adult)\s+(?:to\s+be\s+)?(?:at\s+home|home|present|there|"
    r"around|in)\s+(?:for|during|when|while)\b|"
    # Whether someone else is a real person: "Is the tour guide a real person or a recording?"
    r"\b(?:is|are)\s+(?:the|your|that|these|those|he|she|they)\b[^.?!\n]{0,30}?\b(?:a\s+)?"
    r"(?:real|actual)\s+(?:person|people|humans?)\b",
    re.IGNORECASE,
)
# Kept told how it goes: "update me", "keep me posted" (not "update me the address": a thing changed)
_KEEP_POSTED_EN = (
    r"update\s+(?:me|us)\b(?!\s+(?:the|a|an|my|your|our)\b)|"
    r"keep\s+(?:me|us)\s+(?:posted|updated|informed|in\s+the\s+loop)\b"
)
# A call or a message sent: "give me a call", "give me a bell"; "flick me a call" (New Zealand's, Australia's),
# "drop me a line", "shoot me an email"
_SEND_ME_A_CALL_EN = (
    r"give\s+(?:me\s+|us\s+)?a\s+(?:call\s*back|callback|call|ring|bell|buzz)\b|"
    # ("drop me a WhatsApp", "shoot me a quick DM")
    r"(?:flick|shoot|drop)\s+(?:me|us)\s+(?:a|an)\s+(?:quick\s+)?(?:call|ring|text|message|e-?mail|line|whatsapp|dm|pm|"
    r"sms|wechat|note|voice\s*(?:note|message))\b"
)
# The visitor's matter gone over together: "go through my options with me", "talk me through it"
_WITH_ME_EN = (
    r"(?:go|run)\s+(?:through|over)\s+(?:this|it|that|my|our|the)\b[^.?!\n]{0,30}?\bwith\s+(?:me|us)\b|"
    r"(?:talk|walk)\s+(?:me|us)\s+through\b"
)
# What a person is asked to do for the visitor: handle, look at, contact.
_HANDLES_EN = (
    r"(?:help|assist|call|ring|phone|telephone|contact|email|e-mail|message|text|reply|respond|answer|"
    r"review|check|double[\s-]?check|verify|confirm|investigate|handle|deal\s+with|sort|fix|"
    # "Can someone refund my subscription?": what only the shop's people can do for the visitor
    r"refund|reimburse|unban|reinstate|"
    # … or change the visitor's booking: "Can one of your travel agents rebook me?"
    r"re-?book|reschedule|rearrange|"
    r"look\s+(?:at|into|over|through)|take\s+(?:over|a\s+look|it\s+from\s+here)|have\s+a\s+(?:quick\s+)?look|"
    # "can a human take this one", "someone to take my case": the visitor's matter taken on
    r"take\s+(?:this|that|it|my\s+(?:case|query|question|complaint|issue|problem))"
    r"(?:\s+(?:one|on|over))?(?=\s*(?:[.?!,;]|$|please|pls|plz|for\s+me))|"
    # who can decide for the shop: "someone who can make a decision", "a manager to approve it"
    r"make\s+(?:a|the|this|that|any)\s+decisions?|decide|approve|authori[sz]e|sign\s+(?:it\s+|this\s+)?off|"
    r"get\s+back|follow\s+up|explain|see\s+to|step\s+in|join|reach\s+out|get\s+in\s+touch|"
    # "can our TAM ping me", "Can a rep jump on a quick call?"
    r"ping\s+(?:me|us)\b|(?:jump|hop|get)\s+on\s+(?:a\s+)?(?:quick\s+)?(?:call|zoom|video\s+call|phone\s+call|teams\s+call)\b|"
    # "Can someone from the nursery keep me posted?"
    rf"{_KEEP_POSTED_EN}|"
    # ("Can your claims team give me a bell?", "could someone flick me a call")
    rf"{_SEND_ME_A_CALL_EN}|give\s+(?:me\s+|us\s+)?a\s+reply|"
    # "give me five minutes", "spare me a moment": time with the visitor
    r"(?:give|spare)\s+(?:me|us)\s+(?:a\s+few|a|one|two|five|ten|some|\d+)\s+(?:minutes?|mins?|moments?)|"
    # "read my message" (not "read Braille"): the visitor's words read by a person
    r"read\s+(?:this|my|our)(?:\s+(?:message|messages|chat|complaint|email|question|case))?\b|"
    # "can a human read it and reply" (the visitor's message, read and answered)
    r"read\s+it(?=\s+(?:and|please|pls|properly|through)\b|\s*[.?!,]|\s*$)|"
    rf"{_WITH_ME_EN})"
)
# Someone named by their trade ("a vet nurse", "a technician"): a person where asked to get in touch
_TRADE_EN = (
    r"(?:nurse|vet|doctor|pharmacist|technician|engineer|mechanic|accountant|lawyer|specialist|"
    # … who handles the visitor's claim, case or account: "the claims handler", "a broker"
    r"handler|adjust[eo]r|broker|underwriter|assessor|inspector|case\s*worker|case\s+officer|"
    r"receptionist|dispatcher|moderator|clerk|administrator|meter\s+reader|counsell?or|midwife|"
    # … or who sells or runs a game on a platform: "ask the seller to message me", "a game master"
    r"seller|merchant|vendor|game\s+master|"
    # … or who sells, or runs a workshop: "a salesperson to contact me", "the workshop foreman"
    r"sales(?:person|people|man|men|woman|women)|sales\s+assistant|foreman|"
    r"advis[eo]r|consultant|guide|host|planner|coordinator|"
    # … and the shop's people named by what they look after ("the delivery manager", "a claims
    # officer"): asked to get in touch, a person the visitor wants
    r"manager|supervisor|officer|team\s+leader|"
    # … or who teaches or treats: "Could an instructor get in touch?"
    r"instructor|teacher|tutor|trainer|coach|therapist|dentist|optician|surveyor|installer|"
    r"electrician|plumber|"
    # … or who fits out, keeps, hires or runs: "the cake decorator", "the campsite warden", "an actual
    # recruiter", "the funeral director"
    r"decorator|warden|ranger|recruiter|headhunter|director|locksmith|tailor|seamstress|landscaper|roofer|"
    r"carpenter|joiner|handyman|caterer|celebrant|photographer|videographer|solicitor|conveyancer|architect|"
    r"valuer|notary|paralegal|bookkeeper|auditor|carer|caregiver|nanny|concierge|housekeeper|librarian|steward|"
    r"stewardess|curator|usher|lifeguard|examiner|invigilator|registrar|"
    # … or runs a club's affairs: "Could the club secretary give me a bell?"
    r"secretary|treasurer|"
    # … or who is the visitor's contact at the shop: "a named account contact", "our point of contact"
    r"(?:account|named|main|dedicated|sales|support|billing|key|customer)\s+contact|point\s+of\s+contact|"
    # … or who puts the visitor's words in another language: "Can I have a translator on the line?"
    r"translator|interpreter|"
    # … or who leads a group: "have the tour leader call me", "a camp leader I can reach"
    r"(?:tour|group|trip|camp|scout|youth|activity|expedition|site|shift)\s+leader|"
    # … or who treats ("Could an optometrist ring me?"), or a ward's nurse in charge ("Is the ward
    # sister around?"); named one by one (a word's ending, "-ologist", tried at every word cost more)
    r"optometrist|ophthalmologist|audiologist|dermatologist|cardiologist|radiologist|oncologist|neurologist|"
    r"gyn(?:a)?ecologist|urologist|psychologist|psychiatrist|podiatrist|p(?:a)?ediatrician|orthodontist|"
    r"periodontist|endodontist|physio(?:therapist)?|chiropractor|osteopath|hygienist|paramedic|radiographer|"
    r"sonographer|surgeon|physician|an(?:a)?esthetist|ward\s+sister|matron|charge\s+nurse|"
    # … or the shop's person named by what they do and "guy" / "lady": "the pest control guy", "your IT
    # guy", "the cleaning lady" ("man" is also a figure's name: "the iron man")
    r"(?:[a-z]+\s+)?(?:guy|lady|bloke|chap|fella|geezer)|"
    # … or who cleans ("a callback from the dry cleaner"; not a machine: the vacuum cleaner), sails a boat,
    # serves wine, treats or fixes ("one of the techs")
    r"(?<!vacuum\s)(?<!carpet\s)(?<!steam\s)(?<!pressure\s)(?<!floor\s)(?<!pool\s)(?<!robot\s)(?<!air\s)cleaner|"
    r"skipper|captain|sommelier|practitioner|tech|"
    # … or teaches a sport at a club ("one of your golf pros"; not "the pro plan")
    r"(?:golf|tennis|ski|squash|padel|club|teaching)\s+pro|"
    # … or who makes or serves: "Can the head chef contact me about allergies?"
    # ("Can the piercing artist check a photo?", a tattooist, a piercer)
    r"chef|cook|baker|florist|stylist|designer|hairdresser|barber|groomer|nutritionist|dietitian|artist|tattooist|"
    r"piercer|"
    # … or plays the music at a wedding ("Can I get the DJ himself on a call?")
    r"dj|deejay|"
    # … or flies the balloon, guides the tour, looks after trees or a harbour ("I'd like the balloon pilot to
    # ring me")
    r"pilot|(?:tour\s+)?guide|arborist|tree\s+surgeon|harbou?r\s*master|dock\s*master|"
    # … or rids a house of pests, tunes a piano, fits glass or sweeps a chimney ("Let me talk to the
    # exterminator"; not a guitar tuner, a device)
    r"exterminator|fumigator|(?<!guitar\s)(?<!tv\s)(?<!radio\s)(?<!digital\s)(?<!car\s)tuner|glazier|chimney\s+sweep)"
)
# One of them: "the claims handler", "your on-call engineer", "one of your stylists"
_A_TRADE_EN = rf"(?:a|an|the|your|one\s+of\s+(?:your|the))\s++(?:[a-z-]+\s++)?{_TRADE_EN}s?"
_GET_IN_TOUCH_EN = (
    r"(?:(?:call|ring|phone|telephone|contact|email|e-mail|message|text|get\s+back\s+to|get\s+in\s+touch\s+with)"
    r"\s+(?:me|us)\b(?!\s+(?:the|a|an|my|your|our|some)\b)|"  # not "email me the quote"
    # "Could a specialist give me a ring tomorrow?"
    rf"{_SEND_ME_A_CALL_EN}|"
    # "Could an audiologist call my daughter instead of me?": someone to ring for the visitor
    r"(?:call|ring|phone|contact)\s+my\s+(?:daughter|son|mum|mom|mother|dad|father|wife|husband|partner|grandma|"
    r"grandmother|grandad|grandfather|nan|carer|brother|sister)\b|"
    # "Could the course coordinator reach out to me?"
    r"reach\s+out\s+to\s+(?:me|us)\b|"
    # "Can a technician update me on my repair?", "keep me posted"
    rf"{_KEEP_POSTED_EN}|"
    # "get in touch about my order" (not "get in touch with the venue")
    # ("Can the piano teacher get in touch before Saturday's lesson?")
    r"get\s+in\s+touch(?=\s+(?:about|regarding|re|asap|today|tomorrow|tonight|soon|later|please|pls|before|by|this|"
    r"with\s+(?:me|us))\b|\s*[.?!]|\s*$))"
)
# The person and no one else: "the florist herself", "the manager personally"
_THEMSELVES_EN = r"(?:\s+(?:herself|himself|themselves|themself|personally|directly|in\s+person))?"
# A word between "please" and what the person is to do: "Can a human please just answer?"
_SOFTENED_EN = r"(?:just\s+|quickly\s+|kindly\s+|actually\s+)?"
# Someone asked for a service the shop offers, not to talk to: "Is there anyone who can deliver
# on Sunday?" ("… who can check my order?" asks a person to handle it: a request).
_FOR_A_SERVICE_EN = re.compile(
    rf"\b(?:is|are)\s+there\s+(?:any|some)(?:one|body)\s+(?:who|that)\s+"
    rf"(?:can|could|will|would)\s+"
    rf"(?!(?:please\s+)?{_SOFTENED_EN}(?:{_HANDLES_EN}|talk|speak|chat|tell|see|take|get|sort)\b)"
    rf"[a-z]+",
    re.IGNORECASE,
)
# A call or reply the visitor already had: "I got a callback from the nurse already".
_HAD_ONE = "".join(
    rf"(?<!{verb}\s{article})" for verb in ("got", "had", "received") for article in ("a\\s", "")
)
# A team of players, not of the shop's people: "the football team", "your school team".
_NOT_PLAYERS = (
    r"(?!(?:football|soccer|rugby|basketball|cricket|hockey|baseball|netball|volleyball|tennis|swimming|"
    r"school|national|home|away|opposing|other|winning|losing|youth|junior|kids|under[\s-]?\d+)\s)"
)
# A department's page or hours, not its people: "talk to support" asks, "the support page" does not.
_A_PAGE_NOT_PEOPLE = r"(?!\s+(?:page|site|website|article|docs|documentation|forum|hours|times|policy|plan|number|email))"
_ASKS_EN = re.compile(
    # ("Chuck me onto a proper human": Australian English's put)
    rf"\b(?:talk|speak|chat|deal|connect|transfer|put|chuck|bung|pass|hand|switch|escalate|forward|route|"
    rf"refer|get|give|"
    rf"have\s+a\s+(?:quick\s+)?word|"
    # ("I require a human being to review my charges")
    # (not "Does the job require a person with a licence?": what it takes)
    rf"bring|send|call(?!\s+cent(?:re|er)s?\b)|find|want|need|(?:(?<=\bi\s)|(?<=\bwe\s))require|like|prefer|request|reach|contact|"
    rf"discuss|"
    # ("may I consult with a staff member"; not "Should I consult with a specialist?": advice asked for)
    # ("Let's circle back on this with a human", "touch base with someone": office English)
    rf"loop|involve|summon|demand|demanding|lodge|(?<!should\si\s)(?<!should\swe\s)consult\s+with|circle\s+back|"
    rf"touch\s+base)\b"
    rf"[^.?!\n]{{0,25}}?"
    rf"\b(?:to|with|me|through|over)?\s*+{_PERSON_EN}\b(?!['’]s\b)"
    rf"|\b(?:is|are)\s+there\s+(?:a|an|any)?\s*(?:real\s+|live\s+|actual\s+)?"
    # ("Is there an actual employee anywhere in this company?")
    # (not "an employee handbook")
    rf"(?:human|person|agent|operator|one|body|representative|staff|"
    rf"employee(?!\s+(?!(?:anywhere|here|there|around|available|online|who|that|i|we|to|in|at|on|working|please)\b)[a-z])|"
    rf"(?:support|service|customer\s+(?:service|support|care))\s+(?:reps?|representatives?|agents?|"
    rf"staff|person|people|team))\b"
    rf"|\b(?:is|are)\s+there\s+(?:a|an|any)?\s*(?:(?:人工|真人)(?:客服|服务)?|客服(?:人员)?)"
    rf"|\b(?:can|could|may)\s+i\s+(?:have|get|talk|speak|chat)\b[^.?!\n]{{0,20}}?{_PERSON_EN}\b"
    # (not "real person 的评价": reviews by real people)
    rf"|\b(?:real|live|actual)\s+(?:human|person|people|agent)\b"
    rf"(?!\s*的?\s*(?:评价|评论|照片|视频|声音|配音|测评|故事|案例|买家秀|反馈))"
    # "let me talk to a real one" (a person, after the bot has answered)
    rf"|\b(?:talk|speak|chat)\s+(?:to|with)\s+a\s+real\s+one\b"
    rf"|\b(?:get|have|send|want|need)\s+(?:me\s+|us\s+)?a\s+real\s+one\b"
    # "I'd feel better talking this through with a human"
    rf"|\b(?:talk|talking|speak|speaking|chat|chatting|go|going)\s+(?:this|it|that|things)\s+"
    rf"(?:through|over)\s+with\s+{_PERSON_EN}\b"
    # "I'd rather sort this out with a person": the matter settled with someone
    rf"|\b(?:sort|sorting|settle|settling|work|working|figure|figuring|straighten|straightening|"
    rf"clear|clearing|iron|ironing)\s+(?:this|it|that|things|everything|the\s+matter)\s+out\s+with\s+"
    rf"{_PERSON_EN}\b"
    # "Can my coordinator get back to me today?": the shop's person looking after the visitor, asked to get in
    # touch (not "Will my nurse call me?": what happens; not "my manager", the visitor's own)
    rf"|\b(?:can|could)\s+my\s+(?:[a-z]+\s+)?(?:coordinator|co-ordinator|advis[eo]r|consultant|case\s+(?:manager|worker|officer)|"
    rf"account\s+manager|tutor|coach|instructor|teacher|nurse|therapist|counsell?or)\s+(?:please\s+)?{_GET_IN_TOUCH_EN}"
    # "Get a geezer from the office on the blower", "Can I get the DJ himself on a call?": a person of the
    # shop's got on the phone (Cockney's blower)
    rf"|\bget\s+(?:me\s+|us\s+)?(?:{_A_TRADE_EN}|{_PERSON_EN}){_FROM_EN}{_THEMSELVES_EN}\s+on\s+(?:a\s+|the\s+)?(?:quick\s+)?"
    rf"(?:call|phone|line|blower|video\s+call|phone\s+call|zoom)\b"
    # "anyone actually working there or is it all automated": a person there, or only the bot
    rf"|\b(?:any(?:one|body)|some(?:one|body)|a\s+(?:real\s+)?(?:person|human)|humans|people)\s+(?:actually\s+|really\s+)?"
    rf"(?:working|there|here)\b[^.?!\n]{{0,20}}?\bor\s+(?:is\s+(?:it|this|everything)|are\s+you)\s+"
    rf"(?:all\s+|just\s+|fully\s+|completely\s+)?(?:automated|automatic|a\s+bot|bots|a\s+robot|robots|ai|a\s+machine)\b"
    # "I'd like to have a word with the tuner himself": a trade's person talked with
    rf"|\bhave\s+a\s+(?:quick\s+|brief\s+)?word\s+with\s+{_A_TRADE_EN}\b(?!['’]s)"
    # "I am requesting that a member of staff contact me"
    rf"|\b(?:request|requesting|ask|asking)\s+that\s+(?:{_A_TRADE_EN}|{_PERSON_EN}){_FROM_EN}\s+(?:please\s+)?"
    rf"{_GET_IN_TOUCH_EN}"
    # "Could a young man or lady from your company telephone me?": a person of the shop's, by who they are
    # (not "Will a man call before delivery?": what happens)
    rf"|\b(?:can|could|would)\s+(?:a|an|the|one\s+of\s+your)\s+(?:young\s+|nice\s+)?(?:man|woman|lady|gentleman|guy|girl)"
    rf"(?:\s+or\s+(?:a\s+)?(?:young\s+)?(?:man|woman|lady|gentleman|girl))?{_FROM_EN}\s+(?:please\s+)?{_GET_IN_TOUCH_EN}"
    # "Hello? Is a human reading this?"
    rf"|\b(?:is|are)\s+(?:a|an|any|the)\s+(?:real\s+|actual\s+)?(?:human|person|people|humans|agent)s?\s+"
    rf"(?:reading|seeing|watching|monitoring|checking)\s+(?:this|these|my|our|the\s+(?:chat|messages?|conversation))\b"
    # "Do you have a person who handles wholesale accounts I could talk to?"
    # ("would there be anyone I could have a word with")
    rf"|\b(?:(?:a|an|some)\s+(?:[a-z]+\s+)?(?:person|human|agent|rep|representative)|some(?:one|body)|any(?:one|body))\b"
    rf"[^.?!\n]{{0,40}}?\b(?:i|we)\s+(?:can|could|may)\s+(?:(?:speak|talk|chat|have\s+a\s+(?:quick\s+)?word)\s+(?:to|with)|"
    # "is there somebody I could ring about my subscription?"
    # ("a human I can email directly rather than this chat"; "someone who isn't a computer I can ask?")
    rf"(?:ring|call|phone|email|e-mail|contact|message|write\s+to|ask)(?=\s*(?:[?.!,]|$|about|regarding|re\b|today|now|directly)))\b"
    # "Is there a customer advocate I can talk to?": whoever it is, talked to (not "a forum I can
    # talk to other users on")
    rf"|\b(?:is|are)\s+there\s+(?:a|an|any|some)\s+(?:[a-z]+\s+){{1,3}}?(?:i|we)\s+(?:can|could|may)\s+"
    rf"(?:speak|talk|chat)\s+(?:to|with)(?=\s*(?:[?.!,]|$|about|regarding|re\b|today|now|please|directly))"
    # "is there a coordinator I can message directly" (not "Is there a number I can call?": a way to
    # reach the shop, as its phone number is)
    rf"|\b(?:is|are)\s+there\s+(?:a|an|any|some)\s+(?:(?!(?:number|e-?mail|address|line|hotline|form|page|"
    rf"link|app|website|site|account|inbox|channel|portal|whatsapp|chat|bot|handle|tool|forum|community|group|"
    rf"board|server|discord|slack|telegram|feed|ticket|system|platform)\b)[a-z-]+\s+){{1,3}}?"
    # ("Is there an on-call engineer I can page?")
    rf"(?:i|we)\s+(?:can|could|may)\s+(?:message|e-?mail|call|ring|phone|text|contact|write\s+to|page)"
    rf"(?=\s*(?:[?.!,]|$|about|regarding|re\b|today|now|please|directly))"
    # "can I get some real help here, from a person"
    rf"|\b(?:get|need|want|have)\b[^.?!\n]{{0,20}}?\bhelp\b[^.?!\n]{{0,15}}?\bfrom\s+(?:a|an|some)\s+"
    rf"(?:real\s+|actual\s+|live\s+)?(?:person|human|agent|staff\s+member|employee)\b"
    # "I require assistance from a member of staff regarding an incorrect charge"
    # (not "Do you need support from an admin to install it?": whether one is needed)
    rf"|(?<!do\syou\s)(?<!do\si\s)(?<!do\swe\s)(?<!does\sit\s)(?<!does\sthis\s)(?<!would\si\s)"
    rf"\b(?:require|request|requesting|need|needing|want|would\s+like)\s+(?:some\s+)?(?:assistance|help|support)\s+"
    # ("i need support from admin pls": a platform's people too)
    rf"from\s+(?:{_PERSON_EN}|(?:an?\s+|the\s+|your\s+)?(?:admin(?:istrator)?|moderator|mod)s?)\b(?!['’]s)"
    # "is there someone in customer service who can check my order?"
    # ("有没有 admin 可以 check 我的 KYC", read "is there admin who can check": a platform's person too)
    rf"|\b(?:is|are)\s+there\s+(?:some(?:one|body)|any(?:one|body)|a\s+person|(?:(?:a|an|any)\s+)?(?:(?:real|live|actual)\s+)?"
    rf"(?:admin(?:istrator)?|mod(?:erator)?|agent|human|staff(?:\s+member)?|rep|representative|manager|supervisor)s?)\b"
    rf"[^.?!\n]{{0,30}}?"
    rf"\b(?:who|that)\s+(?:can|could|will|would)\s+(?:please\s+)?{_SOFTENED_EN}{_HANDLES_EN}\b"
    # "there is someone who can help me with the booking?": the same asked as a statement with a question
    # mark, a sentence's start (Italian and Spanish speakers' word order; "There is someone who can help you
    # at the desk." tells, "I think there is someone who can answer that on the forum?" wonders)
    rf"|(?:^|(?<=[.!?,;:]))\s*+(?:(?:so|and|but|ok|okay|hi|hello|sorry|please)[\s,]++)?"
    rf"there(?:\s+is|['’]s)\s+(?=[^.!?\n]*\?)(?:some(?:one|body)|any(?:one|body)|a\s+person)\s+"
    rf"(?:(?:who|that)\s+)?(?:can|could|will|would)\s+(?:please\s+)?{_SOFTENED_EN}{_HANDLES_EN}\b"
    # "is there an actual brain anywhere in this company?": a thinking person, asked for in anger
    rf"|\b(?:is|are)\s+there\s+(?:an?\s+)?(?:actual|real|living|single|functioning)\s+(?:brain|soul)\s+"
    rf"(?:anywhere|there|here|at|in|working|left)\b"
    # "sort this out with somebody real"
    rf"|\b(?:with|to)\s+(?:some(?:one|body)|a\s+person|a\s+human)\s+real\b"
    # "Could a vet nurse call me?": someone named by their trade, asked to get in touch
    # ("Can a lawyer from your firm contact me?", "Could the florist herself call me?")
    # ("can the audiologist see me or phone me?", "Can a technician take a look at the file and get back to me?")
    # ("could the clinic's practitioner phone me?")
    rf"|\b(?:can|could|will|would)\s+(?:a|an|the|your|one\s+of\s+(?:your|the))\s+(?:[a-z]+(?:['’]s)?\s++)?"
    rf"{_TRADE_EN}s?{_FROM_EN}{_THEMSELVES_EN}\s+(?:please\s+)?(?:be\s+able\s+to\s+)?"
    rf"(?:(?:see|meet|visit|email|text|message)\s+(?:me|us)\s+or\s+|"
    rf"(?:(?:take|have)\s+a\s+(?:quick\s+)?look|look\s+(?:at|into|over)|check|review)\b[^.?!\n]{{0,30}}?\band\s+)?"
    rf"{_GET_IN_TOUCH_EN}"
    # "pls arrange sb to call me": someone arranged to get in touch
    # ("Kindly arrange for someone from underwriting to contact me")
    # ("Kindly arrange one executive to call me": India's English)
    rf"|\barrange\s+(?:for\s+)?(?:some(?:one|body)|a\s+person|{_A_TRADE_EN}|(?:a|an)\s+{_PERSON_EN}|"
    rf"one\s+(?:executive|officer|person|agent|representative|rep|staff(?:\s+member)?|{_TRADE_EN})){_FROM_EN}\s+to\s+"
    rf"{_GET_IN_TOUCH_EN}"
    # "Please arrange for a technician to contact me."
    rf"|\bfor\s+(?:a|an|the|your|one\s+of\s+your)\s+(?:[a-z]+\s++)?{_TRADE_EN}s?\s+to\s+"
    rf"{_GET_IN_TOUCH_EN}"
    rf"|\bhave\s+{_PERSON_EN}{_FROM_EN}\s+(?:please\s+)?{_HANDLES_EN}\b"
    # "Have your engineer phone me" (not "Do you have an engineer call before arriving?": a practice)
    # ("pls 让 tour leader call me", read "have tour leader call me": no article)
    rf"|(?<!do\syou\s)(?<!does\sit\s)\bhave\s+(?:{_A_TRADE_EN}|(?:[a-z-]+\s++)?{_TRADE_EN}s?){_THEMSELVES_EN}\s+"
    rf"(?:please\s+)?{_GET_IN_TOUCH_EN}"
    # "Please get the on-call engineer to contact me"
    # ("We need an engineer to phone us about the outage")
    # ("get the driver to call me": a courier too, where asked to be made to call — "Can the driver call me
    # when he's outside?" arranges a delivery)
    rf"|\b(?:get|ask|tell|needs?|wants?|like)\s+(?:{_A_TRADE_EN}|(?:the|your|my)\s+(?:delivery\s+)?(?:driver|courier|rider))"
    rf"{_THEMSELVES_EN}\s+to\s+"
    rf"(?:{_GET_IN_TOUCH_EN}|(?:talk|walk)\s+(?:me|us)\s+through\b)"
    # "Could my account manager give me a ring?": the shop's person kept for the visitor (not "my
    # manager": the visitor's own)
    # ("Please have our account manager reach out", "can our TAM ping me": a software vendor's person kept
    # for the visitor's company)
    rf"|\b(?:(?:can|could|will|would)\s+(?:my|our)|(?:want|like|need|get|ask|have)\s+(?:my|our))\s+"
    rf"(?:(?:account|relationship|personal|dedicated|assigned|key\s+account|case|claims?|customer\s+success)\s*"
    rf"(?:manager|advis[eo]r|consultant|rep|representative|shopper|agent|executive|worker|handler|officer|contact)|"
    rf"(?-i:CSM|TAM|CSR|AE|SE)|solutions?\s+engineer|partnerships?\s+(?:lead|manager))\s+"
    rf"(?:to\s+)?(?:please\s+)?(?:be\s+able\s+to\s+)?{_SOFTENED_EN}{_HANDLES_EN}\b"
    # "Human agent needed for a refund dispute"
    rf"|^[^\w\n]*(?:a\s+)?(?:human|live|real)\s+(?:agent|person|operator|rep|representative|human)\s+"
    rf"(?:needed|required|wanted)\b"
    # "is there a real lady or gentleman I can talk to"
    rf"|\b(?:lady|gentleman|woman|man|guy|girl)\s+(?:that\s+|who\s+)?(?:i|we)\s+(?:can|could|may)\s+"
    rf"(?:speak|talk|chat)\s+(?:to|with)\b"
    # "is someone from support online?", "is a live rep around?", "any agents available?"
    rf"|\b(?:is|are)\s+(?:there\s+)?(?:any\s+|a\s+|an\s+)?(?:(?:real|live|actual)\s+)?"
    rf"(?:any\s+of\s+(?:your|the)\s+)?(?:(?:customer\s+(?:service|support|care)|support|sales)\s+)?"
    rf"(?:human|person|agent|operator|rep|representative|staff|team|"
    rf"staff\s+member|{_MEMBER_EN}|team\s+member|employee|"
    rf"advis[eo]r|consultant|someone|somebody|anyone|anybody|客服(?:人员)?|人工(?:客服)?|真人|(?-i:CS)|"
    # "Is a supervisor around to take over?"
    rf"(?:{_POST}\s+)?(?:manager|supervisor)|"
    # "Is Sarah from your sales team available?": one of the shop's people, by name
    rf"(?-i:[A-Z][a-z]+)(?=\s+(?:from|in|on)\s+(?:your|the)\s+(?:[a-z]+\s+)?(?:team|department|office|desk)\b))s?"
    rf"{_FROM_EN}\s+(?:available|around|online|there|here|able\s+to\s+{_HANDLES_EN}|"
    rf"free(?=\s*(?:[.?!,]|$|(?:right\s+)?now|to\s+(?:talk|chat|help|speak|assist)))|"
    # "Is anyone from the booking team on?": on duty, the sentence's end
    rf"on(?=\s*(?:[.?!]|$|(?:right\s+)?now|today|tonight)))"
    # "is customer service available to chat right now?" (not "… available on Sundays?")
    rf"|\b(?:is|are)\s+(?:your\s+|the\s+)?(?:customer\s+(?:service|support|care)|support(?:\s+team)?|"
    rf"(?:help\s*desk|service|support)\s+team)\s+(?:available|online|around|free|there|here)"
    rf"(?=\s*(?:to\s+(?:talk|chat|help|speak|assist)|(?:right\s+)?now\b|at\s+the\s+moment))"
    # "What's your manager's email?": how to reach someone above whoever the visitor has (not
    # "your customer service email": a way to reach the service, as a phone number is)
    rf"|\b(?:your|the)\s+(?:{_POST}\s+)?(?:manager|supervisor|owner|boss|director)(?:'s|’s)\s+"
    rf"(?:(?:direct\s+|personal\s+)?(?:e-?mail(?:\s+address)?|(?:phone\s+|mobile\s+)?number|"
    rf"contact(?:\s+details)?)|(?:direct|phone)\s+line)\b"
    # "I need talk with an attendant": Portuguese and Spanish speakers' word (atendente, "the one who serves")
    # for the shop's agent (not "the car park attendant", "the attendant at the castle": someone at a place)
    # ("can she talk to a grown up from the party place": a child writing for a parent)
    rf"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:an?\s+|the\s+|your\s+)?(?:(?:customer\s+(?:service\s+)?)?attendants?|"
    rf"grown[\s-]?ups?)\b"
    rf"(?!\s+(?:at|in|on|by)\s)"
    # "I'd like to report the driver who overcharged me to someone in charge": a complaint taken to a person
    # (not "How do I report a scam to the police?")
    rf"|\b(?:i|we)(?:['’]d|\s+would|\s+want|\s+wish|\s+need)?(?:\s+like)?\s+to\s+report\s+[^.?!\n]{{1,40}}?\s+to\s+"
    rf"(?:{_PERSON_EN}|{_ABOVE_EN})\b"
    # "I need man from support": a man, a woman or a guy from one of the shop's departments (not "a man
    # from the moving company to lift the sofa": a job done)
    rf"|\b(?:need|want|get\s+me|find\s+me|send\s+me)\s+(?:a\s+|the\s+|some\s+|one\s+)?"
    rf"(?:man|woman|guy|lady|gentleman|bloke|chap|fella)\s+(?:from|in)\s+(?:your\s+|the\s+)?"
    rf"(?:{_DEPARTMENT_EN}|customer\s+(?:care|services?|support)|help\s*desk)\b{_A_PAGE_NOT_PEOPLE}"
    # "I need whoever is in charge of deliveries": the person who looks after it, asked for
    rf"|\b(?:need|want|get\s+me|find\s+me|speak\s+(?:to|with)|talk\s+(?:to|with)|"
    # "a formal complaint with whoever manages the store"
    rf"complain(?:t)?\s+(?:to|with))\s+whoever\s+"
    rf"(?:is\s+in\s+charge|is\s+responsible|handles|deals\s+with|looks\s+after|manages|runs)\b"
    # "Who is the manager on duty today? I need to talk to them": the shop's person, then talked to
    rf"|\b(?:(?:the|your)\s+(?:{_POST}\s+)?(?:manager|supervisor|owner|boss|person\s+in\s+charge)|"
    # "Who handles complaints? I want to talk to them directly"
    # ("Who's actually responsible for deliveries? I'd like them to call me.")
    rf"who\s+(?:handles|deals\s+with|looks\s+after|manages|runs)|"
    rf"who(?:'?s|\s+is)\s+(?:actually\s+|really\s+)?(?:in\s+charge\s+of|responsible\s+for)|"
    # "Who's our customer success contact? I'd like to speak with them"
    rf"who(?:'?s|\s+is|\s+are)\s+(?:our|my|the|your))\b"
    rf"[^\n]{{0,40}}?\b(?:i|we)(?:'d|\s+would)?(?:\s+really)?\s+(?:(?:need|want|like|must|have)\s+to\s+"
    rf"(?:talk|speak|chat)\s+(?:to|with)\s+(?:them|him|her)|(?:like|want|need)\s+(?:them|him|her)\s+to\s+"
    rf"(?:call|ring|phone|contact|email|text)\s+(?:me|us))\b"
    # "Who's minding the shop today? I'd like a chat": whoever is on duty, then talked with
    rf"|\bwho(?:'?s|\s+is)\s+(?:minding|manning|running|looking\s+after|on)\s+(?:the\s+)?(?:shop|store|desk|counter|floor|"
    rf"branch|office|duty|shift)\b[^\n]{{0,40}}?\b(?:i|we)(?:'d|\s+would)?\s+(?:like|love|want|need)\s+(?:to\s+have\s+)?"
    rf"(?:a\s+(?:quick\s+)?(?:chat|word)|to\s+(?:talk|speak|chat)\s+(?:to|with)\s+(?:them|him|her))\b"
    # "I'd like to talk this over with a stylist": the visitor's matter gone over with a trade's person
    rf"|\b(?:talk|chat|go)\s+(?:this|it|that|things|everything)\s+(?:over|through)\s+with\s+(?:{_A_TRADE_EN}|{_PERSON_EN})\b"
    rf"(?!['’]s)"
    # "Am I talking to a human or not? If not, get me one": a person, if the bot is none
    rf"|\b(?:human|person|real|bot|robot)\b[^\n]{{0,60}}?\bif\s+not\b\W{{0,3}}(?:please\s+)?(?:get|find|give|put)\s+me\s+"
    rf"(?:one|someone|somebody)\b"
    # "I'd rather explain this to a human": the visitor's matter told to a person
    rf"|\b(?:explain|describe|show)\s+(?:this|it|that|everything|the\s+(?:problem|issue|situation)|"
    rf"my\s+(?:problem|issue|situation|case))\s+to\s+{_PERSON_EN}\b(?!['’]s)"
    # "Looking to speak with your events coordinator": the shop's person named by their trade
    # (not "Should I speak with a lawyer first?": advice asked for)
    rf"|\b(?<!should\si\s)(?<!should\swe\s)(?:talk|speak|chat)\s+(?:to|with)\s+(?:your|the|a|an)\s+(?:[a-z]+(?:['’]s)?\s+)?"
    rf"{_TRADE_EN}s?\b(?!['’]s)"
    # "Could I arrange a video call with one of your stylists?": a call with the shop's people
    rf"|\b(?:arrange|book|schedule|set\s+up|have|get)\s+(?:a|an)\s+(?:quick\s+)?(?:video\s+|phone\s+|voice\s+)?"
    rf"(?:call|chat|call\s*back|callback)\s+with\s+(?:{_PERSON_EN}|one\s+of\s+your\s+[a-z]+s|(?:a|an|the|your)\s+(?:[a-z]+\s+)?"
    rf"{_TRADE_EN}s?)\b"
    # "Kindly arrange a call from your side": a call from the shop's end (India's English)
    rf"|\b(?:arrange|schedule|organi[sz]e|set\s+up|book|request|need|want)\s+(?:a\s+|an\s+)?(?:quick\s+)?"
    rf"(?:call|call\s*back|callback|phone\s+call|ring)\s+from\s+(?:your|the\s+(?:shop|store|company)['’]s)\s+"
    rf"(?:side|end|team|office|staff)\b"
    # "a phone appointment with one of your advisors" (a video appointment with the vet is a
    # booking)
    rf"|\b(?:video|phone|voice)\s+(?:appointment|consultation|meeting)\s+with\s+"
    rf"(?:{_PERSON_EN}|one\s+of\s+your\s+[a-z]+s)\b"
    # "I'd prefer to discuss the swelling with the doctor who treated me": a trade's person of the shop's
    rf"|\b(?:prefer|like|want|need|wish|rather)\s+(?:to\s+)?discuss\b[^.?!\n]{{0,30}}?\bwith\s+{_A_TRADE_EN}\b(?!['’]s)"
    # "discuss a bulk order with your wholesale manager": a manager of the shop's, named by what
    # they look after, talked with
    rf"|\b(?:discuss|talk|speak|chat|deal|sort|settle)\b[^.?!\n]{{0,30}}?\bwith\s+your\s+[a-z]+\s+"
    rf"(?:manager|supervisor|specialist|advis[eo]r|consultant|rep|representative)\b"
    # "Is the shop owner around to chat?": the shop's own person there now (not "… on Sundays?")
    # ("Is the flower shop owner around?", "the garden centre manager": the business named by what it
    # sells)
    rf"|\b(?:is|are)\s+(?:the|your|a|an)\s+(?:(?:[a-z]+\s++){{0,2}}(?:owner|manager|supervisor|boss)|"
    # "Is the duty pharmacist available for a quick question?"
    rf"(?:[a-z]+\s++)?{_TRADE_EN})\s+"
    # ("Is the store manager on today?": on duty)
    rf"(?:around|available|free|in|there|here|about|on)"
    # ("Is a pharmacist around to answer a question about dosage?")
    rf"(?=\s*(?:to\s+(?:talk|chat|help|speak|assist|answer|advise)|(?:right\s+)?now\b|at\s+the\s+moment|today|[?.!]|$|"
    rf"for\s+a\s+(?:quick\s+)?(?:question|chat|word|call)))"
    # "Someone from your team needs to look at my account": someone of the shop's must handle it
    rf"|\b(?:some(?:one|body)|a\s+(?:real\s+)?(?:person|human)){_FROM_EN}\s+(?:really\s+)?(?:needs|has|must|ought)\s+"
    rf"(?:to\s+)?(?:{_HANDLES_EN}|see\s+(?:this|it|that|my\s+[a-z]+))\b"
    # "I'd like to have a proper conversation with a staff member"
    rf"|\b(?:have|get|want|need|like|arrange)\b[^.?!\n]{{0,20}}?\b(?:conversation|discussion|chat|talk|word|call)\s+"
    rf"with\s+{_PERSON_EN}\b(?!['’]s)"
    # "who can I talk to about a wrong charge?": asks which person
    # ("Who in claims can I speak to?")
    # ("Whom may I contact to escalate a complaint?")
    rf"|\bwhom?\s+(?:(?:in|at|from)\s+(?:(?:your|the|this)\s+)?[a-z]+(?:\s+[a-z]+)?\s+)?(?:can|could|should|do|may)\s+i\s+"
    rf"(?:actually\s+|really\s+)?"
    rf"(?:(?:talk|speak|chat|complain)\s+(?:to|with)\b"
    # "who can I phone to talk this through?", "who should I contact about my order?" (not "who
    # do I call for a taxi?", "… to fix my boiler": a trade wanted, not the shop's person)
    rf"|(?:phone|call|ring|email|e-mail|contact|message|write\s+to)\s+"
    rf"(?:about\b|to\s+(?:talk|discuss|sort|go\s+(?:over|through)|chat|escalate|complain|raise)\b))"
    # "transfer me pls", "escalate this": the whole sentence is the move
    rf"|^[^\w\n]*(?:(?:can|could|would)\s+you\s+)?(?:please\s+)?(?:transfer|escalate|connect|"
    rf"forward)\s+(?:me|this|it)(?:\s+(?:pls|please|plz|now|asap|through|over|on))*\W*$"
    rf"|\bescalate\s+(?:this|it|my|the)\b"
    # "Please escalate to your duty team": the visitor sent up to the shop's people, asked for (not
    # "Do you escalate to the fraud team automatically?", a practice)
    rf"|(?:^[^\w\n]*|\b(?:please|pls|plz|kindly|just)\s+|\b(?:can|could|would|will)\s+you\s+(?:please\s+)?)"
    rf"escalate\s+(?:this\s+|it\s+|me\s+|us\s+)?(?:up\s+)?to\s+(?:{_PERSON_EN}|(?:your|the)\s+(?:[a-z]+\s+){{0,2}}?"
    rf"(?:team|department|dept|desk|office|unit|staff|people))\b"
    # "The landlord's agent needs to phone me today": one of the shop's people must get in touch
    # (the verb looked for first: the people's words are many, tried at every word)
    rf"|(?<![a-z'’-])(?=(?:[a-z'’-]++\s+){{1,8}}?(?:needs|has|must|should|ought)\s)"
    rf"(?:{_A_TRADE_EN}|(?:the|your)\s+[a-z]+['’]s\s+(?:agent|rep|representative|assistant|secretary|office|"
    rf"{_TRADE_EN})|{_PERSON_EN}){_FROM_EN}\s+(?:really\s+)?(?:needs|has|must|should|ought)\s+(?:to\s+)?"
    # (not "The technician has to call me before arriving, right?": what they do first)
    rf"(?:please\s+)?{_GET_IN_TOUCH_EN}(?![^.?!\n]{{0,20}}?\b(?:before|when|once|after)\s+(?:(?:he|she|they|it|you)\b|[a-z]+ing\b))"
    # "I want this escalated to your head office", "please raise my complaint with management"
    rf"|\b(?:escalat(?:e|ed|ing)|rais(?:e|ed|ing)|refer(?:red|ring)?|pass(?:ed|ing)?\s+(?:\w+\s+){{0,2}}?on|"
    rf"forward(?:ed|ing)?|take\s+(?:this|it|my\s+complaint|the\s+matter)|"
    rf"(?:this|it|my\s+complaint|the\s+matter)\s+taken)\b"
    # (a parcel forwarded to head office is post, not a person asked for)
    rf"(?!\s+(?:my|the|your|a|an|this|our)\s+(?:parcels?|packages?|orders?|items?|returns?|deliver(?:y|ies)|"
    rf"post|mail|letters?|goods|products?|boxe?s?)\b)[^.?!\n]{{0,25}}?\b(?:to|with)\s+"
    rf"{_ABOVE_EN}\b(?!\s+(?:store|shop|address|branch|building|location|outlet|opening))"
    # "this is going nowhere, escalate please": the clause is the move
    rf"|(?:^|[,;:]\s*)(?:(?:please|pls|plz|can\s+you|could\s+you)\s+)?escalate"
    # ("escalate pls. roofer damaged my gutter": the sentence is the move, the reason after it)
    rf"(?:\s+(?:pls|please|plz|now|asap|it|this|me|us))*(?:\W*$|\s*[.!;]+(?=\s))"
    # "hi, looking for live support": a person looked for, nothing after it but the reason to talk
    rf"|\b(?:(?:looking|searching|asking)\s+for|(?<=i'm\s)after|(?<=i\sam\s)after|(?<=we're\s)after)\s+"
    rf"(?:a\s+|an\s+|some\s+)?(?:(?:real|live|actual)\s+"
    rf"(?:human|person|people|agent|support|help|chat)|human|person|agent|operator|representative|"
    rf"customer\s+(?:service|support|care)(?:\s+(?:agent|rep|representative))?)"
    rf"(?=\s*(?:[.?!,]|$|to\s+(?:talk|speak|chat|help)|please|pls|who|that\s+can))"
    # "lodge a complaint with a manager"; "Who's in charge?"
    rf"|\bcomplain(?:t)?\s+(?:to|with)\s+{_PERSON_EN}\b"
    rf"|\bwho(?:'?s|\s+is)\s+(?:in\s+charge|responsible)\s*(?:here|there)?\s*[?？]"
    # "I'm asking for a human agent for the third time"; "a person I can speak to"
    rf"|\b(?:ask|asking|asked)\s+(?:again\s+)?for\s+{_PERSON_EN}\b(?!'s)"
    # (a word's first character first: the people's words are many, tried at every place — not at a space)
    rf"|(?=\w){_PERSON_EN}{_FROM_EN}\s+(?:that\s+|who\s+)?(?:i|we)\s+(?:can|could|may)\s+"
    rf"(?:actually\s+)?(?:speak|talk|chat)\s+(?:to|with)\b"
    # "I'd appreciate talking to someone on your team", "Could I be connected with support?"
    rf"|\b(?:appreciate|prefer|mind|recommend|try|trying|about|of|on|better|rather|sooner|happier|easier)\s+"
    rf"(?:talking|speaking|chatting)"
    rf"\s+(?:to|with)\s+{_PERSON_EN}\b"
    # ("I hereby request that this matter be referred to a member of your staff"; not "referred to a
    # specialist": a doctor's referral)
    rf"|\b(?:be|get|getting)\s+(?:connected|transferred|put\s+through|passed|handed\s+over|"
    rf"referred(?!\s+to\s+(?:a|an|the)\s+(?:specialist|consultant|expert))|passed\s+on|routed|directed|"
    rf"forwarded|switched|escalated)\s+(?:to|with)\s+{_PERSON_EN}\b"
    # "I'd rather have one of your mortgage advisers talk me through it": a person had to go over it with the
    # visitor or get in touch (not "… fix it": a job done)
    rf"|\b(?:rather|prefer\s+to|like\s+to|want\s+to|need\s+to|you)\s+have\s+(?:{_A_TRADE_EN}|{_PERSON_EN}){_FROM_EN}\s+"
    rf"(?:please\s+)?(?:{_WITH_ME_EN}|{_GET_IN_TOUCH_EN})"
    # "I'd like a claims handler to explain why": a trade's person wanted to explain the visitor's matter (not
    # "Can someone explain…?": the bot may; "a tutor to explain algebra": a service)
    rf"|\b(?:like|want|need)\s+{_A_TRADE_EN}{_FROM_EN}\s+to\s+(?:explain\s+(?:why|what|how|it|this|that|(?:the|my|our|your)\s)|"
    rf"go\s+over|talk\s+(?:me|us)\s+through)"
    # "I'd rather have this handled by a human", "flag this for a human to review"
    rf"|\b(?:have|get|want|need|prefer|rather|like)\b[^.?!\n]{{0,25}}?\b(?:handled|dealt\s+with|"
    # ("I wish to have my case handled personally by a staff member")
    rf"looked\s+at|reviewed|checked|answered|sorted(?:\s+out)?)\s+(?:personally\s+|directly\s+|properly\s+)?by\s+{_PERSON_EN}\b"
    rf"|\bfor\s+{_PERSON_EN}\s+to\s+{_HANDLES_EN}\b"
    # "let a staff member know I'm waiting", "ask someone from your team to email me", "a
    # callback from your support people"
    rf"|\blet\s+{_PERSON_EN}{_FROM_EN}\s+(?:know\b|{_HANDLES_EN}\b)"
    rf"|\bask\s+{_PERSON_EN}{_FROM_EN}\s+to\s+{_HANDLES_EN}\b"
    # "Please ask whoever packed my order to get in touch"
    # ("I want whoever schedules the engineers to ring me")
    rf"|\b(?:ask|get|tell|have|want|need|(?:would|'d|’d)\s+like)\s+(?:whoever|whomever)\s+[^.?!\n]{{1,40}}?\s+to\s+{_HANDLES_EN}\b"
    # ("Can whoever keeps your fish have a look at my photos?")
    rf"|\b(?:can|could|would)\s+(?:whoever|whomever)\s+[^.?!\n]{{1,40}}?\s+(?:please\s+)?{_HANDLES_EN}\b"
    # "Is your warehouse team reachable by phone?": the shop's people, reached
    rf"|\b(?:is|are)\s+(?:your|the)\s+(?:[a-z]+\s+)?(?:team|staff|people|manager|supervisor|department|"
    rf"advis[eo]rs?|agents?)\s+(?:reachable|contactable)\s+(?:by\s+(?:phone|telephone|email|e-mail)|"
    rf"on\s+the\s+phone|directly|(?:right\s+)?now|today)"
    # (not one had already: "I got a callback from the nurse already")
    rf"|{_HAD_ONE}\b(?:call\s*back|callback|a\s+call|a\s+reply|a\s+response)\s+from\s+{_PERSON_EN}\b"
    # "Could I get a callback from the clinic nurse?": from someone named by their trade
    rf"|{_HAD_ONE}\b(?:call\s*back|callback|a\s+call|a\s+ring)\s+from\s+{_A_TRADE_EN}\b"
    # ("Need a callback from the yoga retreat manager": the place named by two words)
    rf"|{_HAD_ONE}\b(?:call\s*back|callback|a\s+call|a\s+ring)\s+from\s+(?:the|your)\s++[a-z-]+\s++[a-z-]+\s++"
    rf"{_TRADE_EN}s?\b"
    # "Need a callback from billing asap": from a department of the shop's
    # (not "Will I get a callback from billing?": what happens next)
    rf"|{_HAD_ONE}(?<!will\si\sget\sa\s)(?<!do\si\sget\sa\s)(?<!would\si\sget\sa\s)"
    # ("Can I get a callback from your dog walker?": anyone of the shop's, "your" says so; not "your system")
    rf"\b(?:call\s*back|callback)\s+from\s+(?:(?:the\s+|your\s+)?{_DEPARTMENT_EN}(?:\s+(?:team|department|people|desk))?\b|"
    rf"your\s+(?!(?:system|app|website|site|bot|robot|automated|machine|number)\b)[a-z]+\b)"
    # "I'd appreciate a call from your finance team" (not "Why did I get a call from your finance team?")
    rf"|{_HAD_ONE}(?<!will\si\sget\s)(?<!do\si\sget\s)(?<!did\si\sget\s)(?<!would\si\sget\s)"
    rf"\ba\s+(?:call|ring|phone\s+call)\s+from\s+(?:your|the)\s+[a-z]+\s+(?:team|department|desk|office)\b"
    # "connect me with the surveyor please": the visitor put through to a trade's person
    rf"|\b(?:connect|transfer|put|pass|forward|switch)\s+(?:me|us)\s+(?:through\s+|over\s+|on\s+)?(?:to|with)\s+"
    rf"{_A_TRADE_EN}\b(?!['’]s)"
    # "Pass this on to whoever handles complaints": the visitor's matter given to the shop's person
    # (not "Should I pass this to whoever handles returns?": the visitor doing it)
    rf"|(?<!\bi\s)(?<!\bwe\s)\b(?:pass|forward|hand|give|refer)\s+(?:this|it|that|my\s+[a-z]+)\s+(?:on\s+|over\s+)?to\s+"
    rf"(?:whoever|whomever)\s+"
    rf"(?:handles|deals\s+with|looks\s+after|is\s+in\s+charge|is\s+responsible|manages|runs|takes\s+care\s+of)\b"
    # "Can the receptionist book me in over the phone?": a person to do it by phone
    rf"|\b(?:can|could|will|would)\s+(?:a|an|the|your|one\s+of\s+your)\s+(?:[a-z-]+\s+)?(?:{_TRADE_EN}|person|human|"
    rf"agent|staff\s+member|rep|representative|manager|supervisor|advis[eo]r)s?\s+[a-z]+\s+(?:me|us)\b[^.?!\n]{{0,20}}?"
    rf"\b(?:over|by|on)\s+(?:the\s+)?(?:phone|telephone)\b"
    # "Can I get hold of a broker?": someone of the shop's reached
    rf"|\bget\s+hold\s+of\s+(?:{_A_TRADE_EN}|{_PERSON_EN})\b(?!['’]s)"
    # "Get a dispatcher on the line please": one of the shop's people put on the phone
    # ("Can I have a translator on the line?"; not "I have a technician on the line already")
    rf"|\b(?:get|(?<=can\si\s)have|(?<=could\si\s)have|(?<=may\si\s)have|(?<!\bi\s)(?<!\bwe\s)have|put|need|want|"
    rf"bring)\s+(?:{_A_TRADE_EN}|{_PERSON_EN})\s+on\s+(?:the|a)\s+"
    rf"(?:line|phone|call)\b"
    # "Got people there or not ah?" (Singapore's English: is anyone there)
    rf"|(?:^|[,.;!?]\s*|\byou\s+)got\s+(?:any(?:one|body)|some(?:one|body)|people|a\s+person|(?:any\s+)?humans?|a\s+human|staff|"
    rf"agents?)\s+(?:there|here|online|around|working|on\s+duty|to\s+(?:talk|help|speak|chat))\b"
    # "Can ask your staff call me back?", "Might I trouble one of your colleagues to look into this?":
    # one of the shop's people asked to handle it ("to" left out, as Singapore's English does)
    rf"|\b(?:ask|tell|get|trouble|bother)\s+{_PERSON_EN}{_FROM_EN}\s+(?:to\s+)?(?:please\s+)?{_SOFTENED_EN}"
    rf"{_HANDLES_EN}\b"
    # "Requesting a supervisor callback": the call named by who makes it
    rf"|\b(?:request|requesting|requested|want|need|like|arrange|book|schedule|get|have)\s+(?:a|an)\s+"
    rf"(?:(?:real|live|human)\s+)?(?:supervisor|manager|staff|agent|human|person|advis[eo]r|specialist|"
    rf"consultant|engineer|technician|representative|rep)\s+(?:call\s*-?\s*back|callback|phone\s*call|"
    rf"call)\b"
    # "I just want to hear a real voice": a person's voice, not a recording's
    rf"|\b(?:hear|want|need|get|speak\s+to|talk\s+to)\b[^.?!\n]{{0,15}}?\b(?:a|an)\s+(?:real|human|actual|live)\s+"
    rf"voice\b(?!\s+(?:sample|recording|clip|option|setting|pack|model|mode|feature))"
    # "Please have a sales rep send me a quote and call me": a person to get in touch, after
    # something else
    rf"|\b(?:have|get|ask)\s+{_PERSON_EN}\b[^.?!\n]{{0,40}}?\band\s+(?:then\s+)?(?:call|ring|phone|contact)\s+(?:me|us)\b"
    # "Who's the person on shift tonight? I need them", "Who is the in-charge? I want to talk to him":
    # someone on duty or in charge, needed ("I want him fired" is no request)
    # ("Who's on duty at the print shop? I need them to check my proofs")
    rf"|(?:\b(?:person|one|manager|supervisor|staff\s+member|agent|nurse|vet|doctor|pharmacist|engineer|"
    rf"technician|officer|who['’]s|who\s+is)\s+on\s+(?:shift|duty|call)|\bthe\s+in[\s-]charge)\b[^\n]{{0,40}}?\b(?:i|we)\s+"
    rf"(?:really\s+)?(?:(?:need|want)\s+to\s+(?:speak|talk|chat)\s+(?:to|with)\s+(?:them|him|her)\b|"
    rf"need\s+(?:them|him|her)(?=\s*(?:[.!?,]|$|now|please|urgently|asap|to\s+{_HANDLES_EN}\b)))"
    # "open a ticket with a human please": the visitor's matter given to a person
    rf"|\b(?:open|raise|log|file|lodge)\s+(?:a|an|my|this)\s+(?:ticket|case|request|complaint|query)\s+with\s+{_PERSON_EN}\b"
    # "Please transfer manual service": 转人工服务 put into English by a machine (not "Is manual service
    # available for my car?")
    rf"|\b(?:transfer|switch|turn|connect|change)\s+(?:me\s+)?(?:to\s+|over\s+to\s+)?(?:the\s+|a\s+)?manual\s+services?\b"
    # "put me through to billing": a department is who the visitor is sent to
    rf"|\b(?:transfer(?:red)?|put\s+(?:me\s+)?through|connect(?:ed)?|forward(?:ed)?|"
    rf"pass(?:ed)?(?:\s+me)?(?:\s+(?:on|over|back))?)\s+(?:me\s+)?(?:to|with)\s+(?:the\s+|your\s+|someone\s+in\s+)?"
    rf"(?:billing|sales|accounts?|(?:tech(?:nical)?\s+)?support|returns|refunds|complaints|"
    rf"customer\s+(?:service|support|care|relations)|help\s*desk|service\s+desk|front\s+desk|reception)\b"
    # "Connect me with the warranty department": the visitor put through to any of the shop's
    # departments (not "has my complaint been passed to the claims team?")
    rf"|\b(?:transfer|put|connect|forward|pass|send|switch)\s+(?:me|us)\s+(?:through\s+|over\s+|on\s+)?"
    rf"(?:to|with)\s+(?:the\s+|your\s+)?[a-z]+\s+(?:department|dept|team|desk|office|line)\b"
    # "any chance of getting through to customer services?": the phone's way to reach a person
    # (not "is my email getting through to your team?": a message that arrives)
    rf"|\b(?:i|me|we|us|of|to)\s+(?:[a-z]+\s+)?(?:get|getting)\s+through\s+to\s+(?:the\s+|your\s+)?(?:{_PERSON_EN}|{_DEPARTMENT_EN}|customer\s+relations)\b"
    rf"(?!['’]s){_A_PAGE_NOT_PEOPLE}"
    # "I'll wait for a person, just put me in the queue": a person waited for (not "wait for a person
    # to deliver it": a service)
    rf"|\b(?:wait|waiting|hold|holding|queue|queuing|queueing)\s+(?:on\s+)?for\s+{_PERSON_EN}\b"
    rf"(?!['’]s|\s+to\s+(?!(?:answer|reply|respond|help|assist|be\s+free|become\s+(?:free|available)|"
    rf"come\s+online|pick\s+up|take\s+over|talk|chat|speak)\b))"
    rf"|\bput\s+(?:me|us)\s+(?:in|on|into)\s+(?:the|a|your)\s+queue(?=\s*(?:[.?!,;]|$|please|pls|"
    rf"for\s+{_PERSON_EN}\b))"
    # "I need the on-call technician": the shop's person on call or on duty
    # (not "is there a fee to call the on-call plumber?": the visitor calling)
    rf"|\b(?:need|want|get|(?:speak|talk)\s+(?:to|with))\s+(?:me\s+)?(?:the|your|an?)\s+"
    rf"(?:on[\s-]call|on[\s-]duty|duty)\s+(?:{_TRADE_EN}|manager|supervisor|staff|person|officer|team)s?\b(?!['’]s)"
    # "Can you flag this for your billing people?": the visitor's matter marked for a person
    rf"|\b(?:flag|mark|refer|pass)\s+(?:this|it|that|my\s+[a-z]+)\s+(?:on\s+)?(?:to|for|with)\s+{_PERSON_EN}\b(?!['’]s)"
    # "My complaint needs a human, not an FAQ": the visitor's matter needs a person
    rf"|\b(?:this|it|that|my\s+(?:complaint|case|issue|problem|query|question|order|refund|claim|account|"
    rf"situation|request)|the\s+(?:matter|issue|problem|case|complaint))\s+(?:really\s+)?(?:needs|requires|deserves)\s+"
    rf"(?:a|an|some)\s+(?:real\s+|actual\s+|proper\s+|live\s+)?(?:human|person|agent|manager|supervisor|"
    rf"staff\s+member)\b"
    # "who's the best person to speak to about a late refund?", "Who's the person to speak to about…?"
    rf"|\bwho(?:'?s|\s+is|\s+would\s+be)\s+the\s+(?:(?:best|right|correct|proper)\s+)?(?:person|people|one|team|"
    rf"department)\s+to\s+(?:speak|talk|chat|ask|contact|complain)\b"
    # "Who's the boss there? Put them on.": the person asked about, put on the line (not "How do I put
    # them on?": shoes)
    rf"|\b(?:boss|manager|supervisor|owner|in\s+charge|responsible)\b[^\n]{{0,40}}?[.!?]\s*(?:please\s+|pls\s+|just\s+)?"
    rf"put\s+(?:them|him|her)\s+on(?=\s*(?:[.!?,]|$|please|pls|now|the\s+(?:phone|line|chat)))"
    rf"|(?:^|[.!?]\s*)(?:please\s+|pls\s+|just\s+)?put\s+(?:{_PERSON_EN}|{_A_TRADE_EN})\s+on"
    rf"(?=\s*(?:[.!?,]|$|please|pls|now|the\s+(?:phone|line|chat)))"
    # "Put the organiser on, I'll wait": whoever it is, put on while the visitor waits
    rf"|\bput\s+(?:the|your)\s+[a-z]+\s+on\s*,?\s*(?:i'?ll|i\s+will|we'?ll|we\s+will)\s+(?:wait|hold)\b"
    # "Escalation please, …", "I'm requesting an escalation"
    rf"|(?:^|[,;:.!?]\s*)(?:an?\s+)?escalation\s+(?:please|pls|plz|now|asap|needed|required|requested)\b"
    rf"|\b(?:request|requesting|want|need|demand|demanding)\s+(?:an?\s+)?escalation\b"
    # "let me talk with support", "can I speak to billing?": a department talked to (not "the
    # support page")
    rf"|\b(?:talk|speak|chat)(?:ing)?\s+(?:to|with)\s+(?:your\s+|the\s+|someone\s+(?:in|from)\s+)?"
    # "I wish to talk to your quality control team": the shop's team, whatever it looks after
    # ("Need to talk with the events team about a private booking")
    # (not "the football team": a team of players)
    rf"(?:{_DEPARTMENT_EN}|customer\s+relations|(?:(?<=your\s)|(?<=the\s)){_NOT_PLAYERS}(?:[a-z]+\s+){{1,2}}(?:team|department))\b"
    rf"{_A_PAGE_NOT_PEOPLE}"
    # "Can I speak with the owner?"
    rf"|\b(?:talk|speak|chat)\s+(?:to|with)\s+(?:the|your)\s+owner\b(?!['’]s)"
    # "human assistance needed", "I'd like live help"
    rf"|^[^\w\n]*(?:please\s+)?(?:human|live)\s+(?:assistance|help|support)"
    rf"(?:[\s,]*(?:needed|required|wanted|please|pls|plz|now|asap|here|urgently))*\W*$"
    rf"|\b(?:i|we|i'd|we'd|i'm|we're)\b[^.?!\n]{{0,20}}?\b(?:need|needing|want|require|request|"
    rf"requesting|like|prefer)\s+(?:some\s+)?(?:real\s+)?(?:human|live)\s+(?:assistance|help|support)\b"
    # "Requesting human support for order 88213"
    rf"|^[^\w\n]*(?:requesting|request|need|needing|want)\s+(?:some\s+)?(?:real\s+)?(?:human|live)\s+"
    rf"(?:assistance|help|support)\b"
    # "Would somebody be free for a quick call this afternoon?"
    rf"|\b(?:would|could|will|is|are)\s+(?:some(?:one|body)|any(?:one|body)|a\s+(?:person|staff\s+member)|"
    rf"{_MEMBER_EN}){_FROM_EN}\s+(?:be\s+)?(?:free|available|around)\s+(?:for\s+(?:a|an)\s+(?:quick\s+)?"
    rf"(?:call|chat|word|phone\s+call|video\s+call)|to\s+(?:talk|chat|speak|call|help))\b"
    # "Does anyone there speak Polish?": someone who speaks the visitor's language
    rf"|\b(?:does|do|can)\s+(?:any(?:one|body)|some(?:one|body)|any\s+of\s+(?:your|the)\s+(?:staff|team|agents))"
    rf"\s+(?:there\s+|here\s+)?speak\s+{_LANGUAGE_EN}\b"
    # "有冇 someone 识 English ah" (read "is there someone speaks English"): a person who speaks it
    rf"|\b(?:is|are)\s+there\s+(?:any(?:one|body)|some(?:one|body)|a\s+person|(?:any\s+)?staff)\s+(?:(?:who|that)\s+)?"
    rf"(?:can\s+)?(?:speaks?|knows?)\s+{_LANGUAGE_EN}\b"
    # "please call me back", "can you contact me?": only a person can (the whole sentence)
    # (唔該 call 返我, read "请 call me back")
    # (安装师傅能不能早点来？请他 call 我: him, the person just named)
    rf"|(?:^|(?<=[.?!。！？，,]))[^\w\n]*(?:(?:客服|人工|店长|经理|老板|staff|human|(?:请|让|叫)(?:他|她)|请|麻烦)[\s,，]*)?(?:(?:please|pls|plz|can\s+you|could\s+you|would\s+you)\s+){{0,2}}"
    rf"(?:call|ring|phone|contact)\s+me(?:\s+back)?(?:[\s,]*(?:please|pls|plz|asap|today|now|"
    rf"as\s+soon\s+as\s+possible|急+|很急|着急|马上|尽快))*"
    # "Call me please — 07123 456789": the number to call (once, a digit at a time: a run of
    # digits read more than one way costs time on a hostile message)
    # ("Ring me. 07700 900461. Ta.": the number in a sentence of its own)
    rf"(?:[\s,.:;–—-]*(?:(?:on|at)\s+)?[+(]?\d(?:[\s().-]{{0,2}}\d){{5,}}(?:[\s,.]*(?:please|pls|plz|thanks|thank\s+you|ta|cheers))*)?"
    # (唔該 call 返我，婚紗改到唔啱身: the sentence or clause, then the reason)
    rf"(?:\W*$|\s*[.!?。！？，,;；]+)"
    # "Looking for the person who handles gift aid": the one who looks after it, sought
    rf"|\b(?:looking|look|searching)\s+for\s+(?:whoever|the\s+(?:person|people|one)\s+(?:who|that))\s+(?:handles|deals\s+with|"
    # (not "… who handles my dog while I'm away": a service)
    rf"looks\s+after|manages|runs|is\s+in\s+charge\s+of|is\s+responsible\s+for)\s+(?!(?:my|our)\b)"
    # "let me talk to whoever handles complaints", "the person in charge"
    rf"|\b(?:talk|speak|chat|word|in\s+touch|connect(?:ed)?|transfer(?:red)?|through|over|pass(?:ed)?)\s+(?:me\s+)?"
    rf"(?:(?:on|over|through)\s+)?(?:to|with)\s+(?:whoever|whomever|the\s+(?:person|people|one)\s+(?:who|that|in\s+charge|responsible))\b"
    # ("Put me in touch with a course advisor", "… with your surveyor"; not "… with a good lawyer", "a plumber near
    # me": a trade's person found for the visitor)
    rf"|\b(?:put|get|be|getting)\s+(?:me\s+|us\s+)?in\s+(?:touch|contact)\s+with\s+(?:{_PERSON_EN}|"
    rf"(?:the|your|one\s+of\s+your)\s+(?:[a-z-]+\s++)?{_TRADE_EN}s?|"
    rf"(?:a|an)\s+(?!(?:good|local|reliable|decent|recommended|trusted|cheap|independent)\s)(?:[a-z-]+\s++)?{_TRADE_EN}"
    rf"(?=\s*(?:[.?!,;]|$|please|pls|from|at|in|who|today|asap|about|regarding))|"
    rf"(?:the|your)\s+[a-z]+\s+(?:department|team|lead|manager|director|head))\b"
    # "wheres the human?", "where are the agents": asking where the person is
    rf"|\bwhere\s*(?:'?s|\s+is|\s+are|\s+r)\s+(?:the|a|an|your|any|my)?\s*(?:(?:real|live|actual)\s+)?"
    rf"(?:humans?|person|people|agents?|operators?|staff|representatives?|reps?)"
    rf"(?=\s*(?:[.?!,]|$|at\b|gone|now))"
    # ("can a teacher or an admin look at it?": one of two, either of them)
    rf"|\b(?:can|could|will|would)\s+(?:a|an|the|some|your)?\s*(?:[a-z]+\s+or\s+(?:a|an|the|your)\s+)?"
    rf"(?:(?:real|live|actual|human)\s+)?"
    # ("Can the letting agent ring me?"; not "the AI agent": the bot)
    rf"(?:staff(?:\s+member)?|{_MEMBER_EN}|team\s+member|human|person|(?:(?!ai\b|bot\b|virtual\b|chat\b|user\b|automated\b)[a-z]+\s+)?agent|reps?|"
    # "Can a colleague of yours follow up?" (not "can a colleague call you to pay?": the visitor's)
    rf"colleague(?=\s+of\s+yours)|"
    # "can a real one reply pls" (a person, after the bot has answered)
    rf"(?<=real\s)one|"
    rf"one\s+of\s+(?:your|the)\s+(?:[a-z]+\s+)?(?:people|team|staff|colleagues|agents|employees)|"
    rf"one\s+of\s+you(?:\s+(?:lot|guys|folks|people|two|there))?(?![a-z])|"
    # a platform's people: "Can a game master look at my account?"
    rf"game\s+master|moderator|admin(?:istrator)?|"
    rf"{_SOMEONE_EN}|employee|representative|operator|(?:{_POST}\s+)?(?:supervisor|manager)|"
    # "Could the store owner get back to me?"
    # ("Could the salon owner message me?")
    rf"(?:[a-z]+\s+)?owner|{_HEAD_EN}|"
    # ("can your boss reply to me")
    rf"{_BOSS_EN}|"
    # ("Would your online team be able to check my account?")
    # ("Could your accounts person give me a call?")
    rf"(?:{_DEPARTMENT_EN}\s+|(?<=your\s)[a-z]+\s+)?team|{_DEPARTMENT_EN}\s+(?:people|folks|guys|staff|department|person|guy|lady)|"
    rf"{_DEPARTMENT_EN}\s+(?:reps?|representatives?|agents?|advis[eo]rs?|managers?)|"
    rf"customer\s+(?:service|support|care)|team\s+lead(?:er)?|"
    rf"(?:help|service|support|front)\s*desk){_FROM_EN}\s+(?:please\s+)?(?:be\s+able\s+to\s+)?{_SOFTENED_EN}"
    rf"{_HANDLES_EN}\b"
    # "can lost property call me?", "I need the admissions office to ring me back": one of the shop's desks or
    # offices, named by what it does, asked to get in touch (not "Will lost property contact me if…?": what
    # happens next)
    rf"|\b(?:(?:can|could)|(?:get|ask|tell|need|want|like)\s+(?:the|your))\s+(?:the\s+|your\s+)?"
    rf"(?:lost\s+property|admissions|reception|{_DEPARTMENT_EN}|[a-z]+\s+(?:office|department|desk))\s+(?:to\s+)?"
    rf"(?:please\s+)?{_GET_IN_TOUCH_EN}"
    # "Can the shop give me a call?": the business itself asked to get in touch
    # ("Could the lab call me when my results are ready?"; not "Will the lab call me if something is wrong?":
    # what happens next — after "will", no if / when / once… may follow)
    rf"|\b(?:can|could|(?P<will>will)|would)\s+(?:the|your)\s+(?:shop|store|company|business|office|branch|clinic|lab|"
    rf"laboratory|surgery|practice|salon|studio|workshop|garage|showroom|agency|school|centre|center|gym|dealership)\s+"
    rf"(?:please\s+)?(?:give\s+(?:me|us)\s+a\s+(?:call\s*back|callback|call|ring)|"
    rf"(?:call|ring|phone|contact)\s+(?:me|us)(?:\s+back)?\b)(?(will)(?!\s+(?:if|when|once|after|before)\b))"
    # "I'd appreciate it if a member of staff could check my account"
    rf"|\b(?:if|whether|hoping|hope|chance|possible|way)\s+{_PERSON_EN}{_FROM_EN}\s+(?:could|can|would|will|might)\s+"
    rf"(?:please\s+)?(?:be\s+able\s+to\s+)?{_SOFTENED_EN}{_HANDLES_EN}\b"
    # "Is there any chance the yoga teacher could text me?": a trade's person to get in touch (not "… could fix
    # it today": a service)
    rf"|\b(?:if|whether|hoping|hope|chance|possible|way)\s+{_A_TRADE_EN}{_FROM_EN}\s+(?:could|can|would|will|might)\s+"
    rf"(?:please\s+)?(?:be\s+able\s+to\s+)?{_SOFTENED_EN}{_GET_IN_TOUCH_EN}"
    # "is anybody real working today?", "are there any humans here", "anyone there?"
    rf"|\b(?:is|are)\s+(?:there\s+)?(?:any(?:one|body)|some(?:one|body)|any\s+(?:humans?|people))"
    rf"\s+(?:(?:actually|really|even|still)\s+)?(?:real|human|alive|there|here|around|online|awake|"
    rf"on\s+(?:duty|shift)|working\s+(?:today|now|right\s+now|at\s+the\s+moment|tonight)|"
    # "is anyone even working there?" (the whole question: "is anyone working there on Sunday?"
    # asks when a branch is staffed)
    rf"working\s+(?:there|here)(?=\W*$)|"
    # "Are there any humans on this chat at all?"
    # ("is anyone manning the chat today?")
    rf"(?:on|in|reading|watching|behind|manning|monitoring|answering)\s+(?:this|the)\s+(?:chat|line|conversation)|"
    # "Is anyone in the office today who can help me?"
    rf"in\s+(?:the|your)\s+(?:office|shop|store)\b(?=[^.?!\n]{{0,20}}?\b(?:today|now|who|to\s+help)\b))\b"
    # "y'all got anybody real over there?": a real one, had or not
    rf"|\b(?:got|have)\s+(?:any(?:one|body)|some(?:one|body))\s+(?:real|human|alive)"
    rf"(?=\s*(?:[?.!,]|$|there|here|around|over|on|in|working|available|to)\b)"
    # "I want to be called back by the ferry office": only a person calls back (not "… by email when it ships")
    rf"|(?<!do\syou\s)(?<!would\syou\s)\b(?:want|like|need|prefer|wish)\s+to\s+be\s+(?:called|rung|phoned|contacted)(?:\s+back)?"
    rf"(?=\s*(?:[.?!,]|$|by\s+(?!(?:e-?mail|text|sms|post|letter)\b)|from|today|asap|please|tomorrow))"
    # "Someone from your side please call.": the whole sentence
    rf"|(?:^|(?<=[.!?]\s))(?:some(?:one|body)){_FROM_EN}\s+(?:please|pls|plz|kindly)\s+(?:call|ring|phone|contact)"
    rf"(?:\s+(?:me|us))?(?:\s+(?:back|asap|now|today))*(?=\s*(?:[.!?,]|$))"
    # "anyone human on the other end?": a person at the other end of the chat
    rf"|\b(?:any(?:one|body)|some(?:one|body)|(?:a\s+)?(?:real\s+|actual\s+|live\s+)?(?:human|person))"
    rf"(?:\s+(?:real|human|alive))?\s+(?:on|at)\s+the\s+other\s+(?:end|side)\b"
    # "a question only a human can answer", "Only a person can fix this" (not "is it true only a
    # manager can approve refunds?": a rule asked about)
    rf"|(?:\b(?:question|thing|issue|problem|something|matter|case|request|one)s?\s+(?:that\s+)?|^[^\w\n]*)"
    rf"only\s+(?:a|an)\s+(?:real\s+|actual\s+)?(?:human|person|agent|staff\s+member|employee|manager)"
    rf"\s+(?:can|could|will|would)\s+{_HANDLES_EN}\b"
    # "who can sort it with me?": a person to go over the visitor's matter together
    rf"|\bwho\s+(?:can|could|will)\s+(?:sort|go\s+through|go\s+over|look\s+at|look\s+into|discuss|deal\s+with|talk\s+through)\s+"
    rf"(?:it|this|that)\s+(?:out\s+)?with\s+(?:me|us)\b"
    # "my mum said to ask for a grown-up from the shop": a child asking for one of the shop's adults
    rf"|\bask\s+for\s+(?:a|an)\s+(?:grown[\s-]?up|adult)\s+(?:from|at|who\s+works)\b"
    # "ser, need a mod asap": a platform's moderator or admin needed, the phrase ending there (not "I need a
    # mod for this game", "need an admin account")
    rf"|\b(?:need|want|get\s+me|calling)\s+(?:a|an|the|some|any)\s+(?:mods?|moderators?|admins?|administrators?)"
    rf"(?=\s*(?:[.?!,;]|$|asap|now|please|pls|plz|here|urgently|right\s+now|to\s+(?:help|look|check|sort|fix)\b))"
    # "Could a parts specialist confirm this fits?": a trade's person asked to vouch for something (not "…
    # fix it": a service)
    # ("Could a pharmacist go over the dosage with me?": the visitor's matter gone over together)
    rf"|\b(?:can|could|would)\s+{_A_TRADE_EN}{_FROM_EN}\s+(?:please\s+)?(?:confirm|verify|double[\s-]?check|"
    rf"advise\s+(?:me|us|whether|if|on)|{_WITH_ME_EN})\b"
    # "Is there a camp leader I can reach tonight?": a person to reach (not "a beach I can reach on foot")
    rf"|\b(?:is|are)\s+there\s+(?:some(?:one|body)|any(?:one|body)|(?:a|an|any|some)\s+(?:[a-z-]+\s+)?"
    rf"(?:{_TRADE_EN}|person|human|agent|rep|representative|staff\s+member|employee|manager|supervisor)s?)\s+"
    rf"(?:(?:who|that)\s+)?(?:i|we)\s+(?:can|could|may)\s+(?:reach|get\s+hold\s+of|get\s+through\s+to)\b"
    # "Need the skipper's number": how to reach a trade's person of the shop's, asked for (not "Is the doctor's
    # number on the prescription?")
    # ("Can I have the tour guide's number so I can ask him?")
    rf"|\b(?:need|want|get\s+me|give\s+me|send\s+me|share|pass\s+me|what'?s|what\s+is|(?:can|could|may)\s+i\s+(?:have|get))"
    rf"\s+(?:the|your)\s+(?:[a-z]+\s+)?"
    rf"{_TRADE_EN}(?:'s|’s)\s+(?:(?:direct\s+|personal\s+|mobile\s+|phone\s+)?(?:number|e-?mail(?:\s+address)?|"
    rf"contact(?:\s+details)?))\b"
    # "Sommelier available for a quick chat?": a trade's person there to talk, the sentence's start
    # (the sentence's start: nothing but spaces between it and a full stop, a "!" or a "?" — a word boundary
    # first, cheaper than an alternation tried at every place)
    # ("Any of your designers free to chat now?")
    # ("is the clinic coordinator free to go over my plan with me?": asked whether, the same)
    rf"|\b(?<![^\s.!?])(?<![^\s.!?]\s)(?<![^\s.!?]\s\s)(?:(?:is|are)\s++)?"
    rf"(?:(?:the|your|a|an|any(?:\s+of\s+(?:your|the))?)\s++)?(?:[a-z]+\s++)?"
    rf"{_TRADE_EN}s?\s+"
    rf"(?:around|available|free|about|on)"
    rf"(?=\s*(?:to\s+(?:talk|chat|help|speak|answer|advise|{_WITH_ME_EN})|for\s+a\s+(?:quick\s+)?(?:question|chat|word|call)))"
    # "Please assign a named officer to my case": a person of the shop's given the visitor's matter (not "a
    # driver to my order": a delivery)
    rf"|\bassign\s+(?:me\s+|us\s+)?(?:some(?:one|body)|(?:a|an)\s+(?:[a-z]+\s+)?(?:{_TRADE_EN}|person|human|agent|rep|"
    rf"representative|staff\s+member))\s+to\s+(?:me|us|(?:my|our|this)\s+(?:case|claim|account|file|complaint|query|"
    rf"ticket))\b"
    # "can you contact your kitchen designer?": the shop asked to bring in its trade's person (not "… the
    # council": who the visitor's matter is for)
    rf"|\b(?:can|could|would)\s+you\s+(?:please\s+)?(?:contact|reach|call|ring|get\s+hold\s+of)\s+(?:your|the)\s++(?:[a-z]+\s++)?"
    rf"{_TRADE_EN}\b(?=\s*(?:[.?!,]|$|for\s+(?:me|us)|please|pls|and\s+(?:ask|have|get)))"
    # "who else can I ask?": the bot was not the one
    rf"|\bwho\s+else\s+(?:can|could|should|do|may)\s+i\s+(?:ask|talk|speak|contact|turn|go)\b"
    # ("gm, any admins around?": a platform's people, a crypto trader's greeting)
    rf"|^[^\w\n]*(?:(?:hello|hi|hey|gm|yo)\W+)?any(?:one|body|\s+(?:(?:real|actual|live)\s+)?(?:humans?|people|staff|agents?|"
    rf"admins?|administrators?|moderators?|mods(?=\s+(?:around|online|here|on\b))))"
    rf"\s+(?:there|here|around|online|real|alive(?:\s+(?:in\s+)?(?:there|here))?|available|on\s+(?:duty|shift|here)|at\s+all|"
    rf"in\s+(?:here|there)|working)"
    rf"(?:\s+(?:today|now|right\s+now|at\s+the\s+moment|tonight))?"
    # … the whole sentence, whatever follows it ("anyone there? I need a refund")
    rf"(?:\s*[?!.]+(?:\s|$)|\W*$)",
    re.IGNORECASE | re.MULTILINE,
)
# "a claims person, not a form", "an actual recruiter to look at my CV, not an auto reply": a person
# set against the bot or its forms. The "not …" is looked for first, then a person in the words
# before it (the people's words are many: tried at every word, they cost more).
# ("Someone told me it is not the bot that decides prices" says something else: "not" set off by a
# comma, a dash, "and" or "but")
_NOT_THE_BOT_EN = re.compile(
    r"(?:(?<=[,;:–—-])|(?<=[,;:–—-]\s)|(?<=\band\s)|(?<=\bbut\s))not\s+(?:(?:a|an|the|this|some|your|another)\s+)?(?:bot|robot|machine|ai|chatbot|auto[\s-]?repl(?:y|ies)|"
    r"automated\s+[a-z]+|canned\s+[a-z]+|form|script|faq|template|recording)\b",
    re.IGNORECASE,
)
_A_PERSON_EN = re.compile(rf"\b(?:{_PERSON_EN}|{_A_TRADE_EN})\b(?!['’]s)", re.IGNORECASE)
_SENTENCE_END = re.compile(r".*[.?!\n]", re.DOTALL)
# A sentence that is only the person asked for: "agent", "operator please", "human!!", "a real
# person", "customer service agent now", "… useless answer. Person please."
_ONLY_PERSON_EN = re.compile(
    rf"^\W*(?:(?:please|pls|plz)\W+)?(?:(?:i\s+)?(?:want|need)\s+)?(?:(?:a|an|the|your)\s+)?"
    r"(?:(?:real|live|actual|human)\s+)?"
    r"(?:human(?:\s+being)?|person|agent|operator|representative|rep|manager|supervisor|"
    # ("ppl pls": people, asked for with a please)
    r"people(?=[\s,]*(?:please|pls|plz)\b)|"
    r"customer\s+(?:service|support|care)(?:\s+(?:agent|rep|representative|team|person))?|"
    r"customer\s+(?:rep|representative|agent)|"
    r"support(?:\s+(?:agent|team|person|staff))?|live\s+(?:chat|support|agent)|"
    rf"{_TIER_EN}|"
    r"some(?:one|body)\s+(?:else|from\s+(?:your|the)\s+(?:staff|team|company|shop|store))|"
    r"(?:人工|真人)(?:客服|服务)?|客服(?:人员)?)"
    r"(?:[\s,]*(?:please|pls|plz|now|asap|needed|here|right\s+now))*\W*$",
    re.IGNORECASE,
)
# A sentence that starts by calling the person, then says why: "Operator, please — I need help
# with an order", "Agent pls, my parcel never came", "Operator, I need help with a charge".
_CALLS_FIRST_EN = re.compile(
    r"^\W*(?:(?:a|an|the)\s+)?(?:(?:real|live|actual|human)\s+)?"
    r"(?:human|person|agent|operator|representative|rep|manager|supervisor|"
    rf"customer\s+(?:service|support|care)(?:\s+(?:agent|rep|representative))?|{_TIER_EN})"
    r"(?:[\s,]+(?:please|pls|plz|asap)(?=\s*(?:[,;:!—–-]|$|(?:i|i'm|i've|i'd|my|we|we're|our)\b))"
    # … or straight away says what for: "Operator, I need help with a charge", "Agent, my order…"
    r"|\s*[,:—–]\s*(?:i|i'm|i've|i'd|my|we|we're|our|can\s+you|could\s+you|help)\b)",
    re.IGNORECASE,
)
# Sentences, each with what ends it (every character of a text in one: see pieces()).
_SENTENCES = re.compile(r"[^.!?。！？\n]*(?:[.!?。！？\n]+|$)")
_BOT_EN = (
    r"(?:bot|chatbot|robot|ai|assistant|automated\s+(?:answers?|replies|responses|chat|"
    r"system)|canned\s+(?:answers?|replies|responses)|auto[\s-]?repl(?:y|ies))"
)
# Robots that are products, not the bot: "the robot vacuum is not working".
_PRODUCT_ROBOT_EN = re.compile(
    r"\brobot(?:ic)?[\s-]+(?:vacuum|mower|lawn\s*mower|cleaner|mop|toy|kit|arm|dog|pet)s?\b",
    re.IGNORECASE,
)
_GIVES_UP_EN = re.compile(
    rf"\b(?:this|the|these|you|your|stupid|useless|dumb)\s+{_BOT_EN}\b"
    r"[^.?!\n]{0,20}?\b(?:useless|stupid|dumb|pointless|not\s+help|no\s+help|doesn'?t\s+help|"
    r"isn'?t\s+help|aren'?t\s+help|(?:keeps?\s+)?misunderstand(?:s|ing)?|keeps?\s+getting\s+(?:it|this|me)\s+wrong|"
    r"(?:doesn'?t|don'?t|does\s+not|do\s+not|can'?t|cannot)\s+"
    r"(?:understand|help|get\s+it)|not\s+(?:working|understanding|listening|getting\s+it)|"
    r"sucks|wast(?:e|es|ing))"
    rf"|\b(?:done|finished|fed\s+up|sick|tired)\s+(?:of|with)\s+(?:this|the|these|your)\s+{_BOT_EN}"
    # "the same useless reply from this chatbot"
    rf"|\b(?:useless|pointless|unhelpful|same|canned|wrong)\s+(?:reply|replies|answers?|responses?)"
    rf"\s+from\s+(?:this|the|your)\s+{_BOT_EN}\b"
    rf"|\b(?:enough|no\s+more)\s+(?:with\s+|of\s+)?(?:the\s+|these\s+|your\s+)?{_BOT_EN}"
    r"|\b(?:you(?:'re|\s+are)|this\s+is)\s+(?:useless|not\s+helping|no\s+help|"
    r"not\s+(?:understanding|listening)(?:\s+(?:me|to\s+me))?(?=\s*(?:[.!?,]|$)))"
    r"|\b(?:this|you|that)\s+(?:isn'?t|aren'?t|is\s+not|are\s+not)\s+help(?:ing|ful)\b"
    r"|\b(?:stop|quit|enough)\b[^.?!\n]{0,15}\b(?:bot|robot|machine|ai)\b"
    r"|\b(?:not|stop|no\s+more|done|tired\s+of|sick\s+of|won'?t|refuse\s+to|enough\s+of|fed\s+up)\b"
    r"[^.?!\n]{0,20}?"
    r"\b(?:typing|talking|chatting|writing)\s+(?:to|with)\s+(?:a|the|this|your)\s+"
    r"(?:machine|bot|robot|computer|ai)\b"
    r"|\bnot\s+(?:a\s+|the\s+)?(?:bot|robot|machine|ai)\b[^.?!\n]{0,15}\b(?:human|person|someone)\b"
    r"|\b(?:human|person|some(?:one|body))\b[^.?!\n]{0,25},\s*not\s+(?:a\s+|the\s+|this\s+)?"
    r"(?:bot|robot|machine|ai)\b"
    r"|\b(?:don'?t|do\s+not)\s+want\s+(?:to\s+(?:talk|speak|chat)\s+(?:to|with)\s+)?"
    r"(?:a\s+|the\s+|this\s+)?(?:bot|robot|machine|ai)\b",
    re.IGNORECASE,
)

# The visitor wants to speak with someone: 我想跟/和 + a person (售后的人, 你们的人 too) + 说/聊…
_TALK_WITH_ZH = re.compile(
    rf"(?:我(?:的?(?:妈妈?|爸爸?|母亲|父亲|老公|老婆|家人|朋友|孩子|同事))?(?:想|要求|请求|要|希望|需要|能|可以|得)?|"
    # (想跟销售顾问聊一下: 我 left out)
    rf"(?:^|(?<=[，,。！!？?\s]))(?:想|希望)|"
    rf"可不可以|能不能|能否|让我|请让我|(?:请问)?(?:可以|能))(?:直接|当面)?"
    rf"(?:跟|和|同|与)(?:你们|您们)?(?:的|些)?\s*(?:(?:售后|售前|销售|技术|值班|客服|物流|财务|门店|店里的?)?{_SOMEONE_ZH}|"
    # (跟活动负责人沟通: whoever is in charge of something, named by it)
    rf"[\u4e00-\u9fff]{{1,4}}的?(?:负责人|经理|主管|专员|顾问)|"
    # (跟负责捐赠的同事说明情况: whoever looks after it)
    rf"负责[\u4e00-\u9fff]{{1,8}}?的(?:同事|人|工作人员|老师)|"
    # (想同護士講兩句: one of the shop's people named by their trade)
    rf"{_TRADE_ZH}|老板|老细|店家|商家|卖家|(?:[\u4e00-\u9fff]{{1,4}}的)?人|"
    # (我要跟 agency 的 consultant 谈: the shop's person in English, after what they belong to)
    rf"(?:[A-Za-z]+\s*的?\s*)?(?i:consultant|advis[eo]r|agent|manager|supervisor|coordinator|representative|rep|staff)\s*)"
    # (跟房仲約時間談一下: a time set to talk; 跟医生本人聊: the person themself)
    rf"(?:本人|自己|亲自)?(?:直接|当面|约(?:个|一下)?时间)?(?:说|聊|讲|谈|沟通|交流|对话|联系|倾|反映|反馈|投诉|商量|确认|协商|解释|"
    # (我想跟营地老师视频一下: a video call)
    rf"通(?:个|一下|下)?电话|通话|见(?:个|一)?面|(?:电话|语音|视频)(?:沟通|联系|说|聊|谈|通话)|"
    rf"(?:视频|语音)(?=一下|下|吧|\s*(?:[，,。！!？?]|$)))"
)
_ASKS_ZH = re.compile(
    # 接驳 (接駁), 转驳 (轉駁): Hong Kong's words for putting a call through
    # (请问 is "may I ask", not 请 + a person: 请问你们的营业员几点下班 asks opening hours)
    # (调用: Taiwan's 呼叫 as its word table reads it — 請幫我呼叫客服 → 请帮我调用客服; not a program's
    # call, 调用客服接口)
    # (滴滴人工: a call sent, the internet's word; 寻个人工: Shanghainese 寻, "find")
    # (接线给专人: a line put through; 对接一下客户成功经理: brought together)
    # (约个工作人员聊聊: a meeting with one arranged)
    # (蹲一个真人客服: waited for; 艾特一下客服, @客服: called by name in a chat; 戳一下人工: poked)
    # (帮我传人工: dictation's and southern accents' 传 for 转)
    # (我想见一下你们负责人: seen in person; not 见过, 见到)
    rf"(?:转驳|转介|转|转接|转到|接通|接驳|接线|接|找|要求|要|叫|换成|换|请(?!问)|让|喊|联系|呼叫|滴滴|寻|对接|约|蹲|艾特|@|戳|传|"
    rf"见(?!过|到|了)|"
    rf"调用(?![\u4e00-\u9fff]{{0,6}}?(?:接口|系统|函数|模块|插件|服务器|(?i:api|sdk)))|安排|派|咨询|打个?电话给|致电|"
    # 求个真人 (begged for; not 求助, 求购)
    rf"求(?!助|解|问|教|职|购)|"
    # "麻烦 transfer 一下去人工": the English word for 转
    rf"(?i:connect|transfer|switch)\s*(?:我|(?i:me))?\s*(?:一下|下)?\s*(?=[到给去]|\s*{_SOMEONE_ZH}))"
    rf"(?:给|到|返|回|去)?(?:一?个|一下|下|一位|位)?\s*"
    # (负责这个订单的同事: the one who looks after the visitor's matter)
    # (联系门市店员: the shop's people at its counter)
    rf"(?:你们的?|您们的?)?\s*(?:[\u4e00-\u9fff]{{1,4}}的|负责[\u4e00-\u9fff]{{1,8}}的|值班|当班|当值|门市|门店|专柜|{_RANK_ZH}|"
    # 找返上次跟进我的同事: the person who helped before, asked for again
    rf"(?:上次|之前|刚才|刚刚|昨天|以前)[\u4e00-\u9fff]{{0,5}}的|"
    # (客户成功经理: what they look after, before the title)
    # (找班主任: who heads a class)
    rf"[\u4e00-\u9fff]{{1,4}}(?=(?:经理|主管|专员|顾问|主任)(?![\u4e00-\u9fff]{{0,2}}(?:是|的|说))))?"
    rf"{_SOMEONE_ZH}"
    # (有无真人: 有无 as 有没有, a person word only — 有无人数限制 asks a limit)
    rf"|有无\s*(?:在线|值班|当班)?的?\s*{_SOMEONE_ZH}"
    # (求助，急，在线等人工: the internet's 在线等, "waiting here online", for a person; 等个真人)
    rf"|在线等\s*(?:一?个)?{_SOMEONE_ZH}|等(?:一?个)?真人"
    # (拉个对接人进来: pulled into the chat, a group chat's word)
    rf"|拉\s*(?:一?个|一下|下)?\s*(?:你们的?)?(?:{_SOMEONE_ZH}|对接人)\s*(?:进来|进群|过来|进这个群)"
    # (你们有没有上班的人啊: anyone at work)
    rf"|有没有\s*(?:在线|值班|当班|上班|真人|{_RANK_ZH})?的?\s*{_PERSON_ZH}|有\s*(?:值班|在线|当班)?的?{_PERSON_ZH}\s*(?:可以|能)?(?:在线|在)?(?:聊|说|咨询|沟通|对话|接待|帮我?|值班|回复|回答|处理)?\s*(?:吗|么|嘛)"
    # 人工客服什么时候有空: when the person is free for the visitor
    rf"|{_SOMEONE_ZH}[\u4e00-\u9fff]{{0,6}}?(?:有空|有时间|空闲|得闲)"
    # 有人工可以帮我看看吗 (a person word: 有人可以帮我代收吗 asks something else)
    rf"|有{_SOMEONE_ZH}(?:可以|能)?(?:帮我?|协助|处理|解答|回答|接待)[\u4e00-\u9fff]{{0,4}}?(?:吗|么|嘛)"
    # 找个能做主的人, 叫个管事的人来: a person who can decide or handle it
    rf"|(?:找|叫|换|请|派|让|有没有)(?:一下|下)?(?:你们|您们)?(?:这边|那边|店里)?的?(?:一?个|一位|位)?"
    # (找个说了算的人: whose word counts)
    # (叫個識嘢嘅人嚟: Cantonese 识, "knows")
    rf"(?:(?:专门|专职)[\u4e00-\u9fff]{{1,6}}|(?:能|会|可以|管|懂|识|负责)[\u4e00-\u9fff]{{0,4}}|说了算|做得了主|"
    # (有没有说中文的客服: who speaks the visitor's language)
    rf"(?:说|讲){_LANGUAGE_ZH})的"
    # … 的人 (的客服: 有没有懂技术的客服), 的 + 出来 / 来, or 的 ending the clause (我要找你们店里管售后的)
    # (有没有能做主的在线啊: whether such a one is there)
    # (叫个懂行的技术过来: a trade's person, or 技术 for one, sent for)
    rf"(?:人|{_SOMEONE_ZH}|{_TRADE_ZH}|技术(?=过来|来|出来)|(?=出来|过来|来|在线|在吗|在不在|在么)|(?=\s*(?:[，,。！!？?；;]|$)))"
    # 我需要一个能做决定的人: such a person needed (需要一个会开车的人吗 asks whether one is)
    rf"|(?<=我)(?:需要|要)(?:一?个|一位|位)(?:(?:专门|专职)[\u4e00-\u9fff]{{1,6}}|(?:能|会|可以|管|懂|负责)[\u4e00-\u9fff]{{0,4}}|"
    rf"说了算|做得了主)的(?:人|{_SOMEONE_ZH})(?![\u4e00-\u9fff]{{0,3}}(?:吗|么|嘛))"
    rf"|(?:叫|找)(?:一下|下)?(?:你们的?)?(?:老板|老细)|(?:老板|老细)(?:在吗|在不在|呢)"
    # 别再自动回复了，来个人: a person sent for, the whole clause
    # (救命，来个真人吧，我真的会谢: the clause, whatever follows it)
    rf"|(?:^|[，,。！!？?\s]|快|赶紧)来(?:一?个|一位)(?:人|真人|活人)(?:吧|啊|呀|好吗)?\s*[!！。.?？~～]*\s*(?=[，,；;]|$)"
    # 真人速来, 人工快出来: the person told to come, the whole clause (经理过来了 reports one)
    rf"|(?:^|(?<=[，,。！!？?\s]))(?:{_SOMEONE_ZH})(?:(?:快|速|赶紧|马上)(?:点)?(?:来|出来|过来)|出来|过来)(?:一下|下)?(?:啊|吧|呀|啦)?"
    rf"\s*[!！。.~～]*\s*(?=[，,；;]|$)"
    # 麻烦人工帮我看下 (not 麻烦客服…: visitors call the bot 客服 too)
    rf"|麻烦(?:一?个|一下|下)?(?:你们的?)?(?:人工|真人|工作人员|服务人员|售后|经理|店长|店主|主管|负责人)"
    # 请问客服在线吗, customer service 在吗: whether the person is there now
    # (药剂师在线吗: a trade's person too)
    rf"|(?:{_SOMEONE_ZH}|{_TRADE_ZH})的?\s*(?:现在|这会儿?|今天|今日|今晚|上午|下午)?(?:在线上?|在)(?:吗|么|嘛|不|没)"
    # 让你们技术人员跟我联系: someone of the shop's told to get in touch
    # (請物業管理處的人聯絡我: an office's people, named by the office)
    rf"|(?:让|叫|请|安排)(?:(?:你们的?)?[\u4e00-\u9fff]{{0,6}}(?:人员|员|(?<=的)人|师傅|经理|主管|客服|同事|"
    # (请售票处给我回个电话: an office)
    rf"支持|部门|团队|中心|顾问|工程师|专家|处|办公室|柜台)|"
    # (让你们调度给我打电话: whoever it is, 你们 makes them the shop's)
    rf"你们的?[\u4e00-\u9fff]{{1,4}}?)"
    # (能不能让理赔员直接打给我)
    rf"(?:尽快|马上|赶紧|今天|直接)?(?:(?:跟|和|与|给)我(?:联系|联络|打电话|打个电话|回电话|回个电话|回电|"
    # 让懂行的师傅跟我说一下: someone of the shop's told to explain it to the visitor
    # (敬请安排人员回电: a call returned)
    rf"说|讲|解释|讲解|说明|沟通)|(?:联系|联络|打给)我|打(?:个)?电话给我|回(?:个)?电(?:话)?(?![\u4e00-\u9fff]{{0,3}}(?:了|过|吗|么)))"
    # 能给我店长的电话吗: how to reach someone above whoever the visitor has (客服电话 is a way to
    # reach the service, as a phone number is)
    rf"|(?<!我们)(?<!我的)(?<!我们的)(?:你们的?|您们的?)?(?:经理|店长|店主|主管|负责人|老板|领导)的"
    rf"(?:电话|手机|手机号|联系方式|微信|邮箱)"
    # (你们领导电话多少: 的 left out after 你们)
    rf"|(?:你们的?|您们的?)(?:经理|店长|店主|主管|负责人|老板|领导)(?:电话|手机|手机号|联系方式|微信)"
    # 潜水教练能不能先跟我视频聊一下: a trade's person (or one above whoever the visitor has) asked to talk with
    # the visitor (not 客服能不能跟我说一下运费: visitors call the bot 客服 too)
    rf"|(?:{_TRADE_ZH}|人工|真人|经理|店长|店主|主管|负责人|领导|老板)(?:能不能|可不可以|能否|可否|可以|能)(?:先|直接|当面|尽快)?"
    rf"(?:跟|和|同|与)我(?:视频|语音|电话|通话|通(?:个|一下|下)?电话|聊|说|谈|讲|沟通|联系|对接|解释)"
    # 我要找鉴定师当面谈: one of the shop's people, met to talk it over (not 找律师谈: someone of the visitor's)
    # (报税的事我想约会计师聊一下: a time set to talk with one)
    rf"|(?:(?:找|约|见)(?:一下|下)?(?:你们的?)?(?:{_SOMEONE_ZH}|{_TRADE_ZH})"
    rf"(?:(?:当面|面对面)(?:谈|聊|说|沟通|交流|商量|确认|解释)|面谈)|"
    # (not 可以预约设计师视频通话吗: whether one can be booked; 我们约了律师谈: done)
    rf"(?<!预)约(?!了|过|好)(?:一下|下)?(?:一?个|一位)?(?:你们的?)?(?:{_SOMEONE_ZH}|{_TRADE_ZH})(?:聊|谈|沟通|见面|通话|通(?:个|一下)?电话|视频)|"
    # 帮我约一下遗传咨询师: a counsellor or adviser, whose work is talking with the visitor, booked (not 约设计师: a
    # trade's person booked for a job; not 约了 / 约过 / 约好: one booked already)
    rf"约(?![了过好到])(?:一下|下|个|一个|一位|位)?[\u4e00-\u9fff]{{0,4}}?(?:咨询师|顾问))"
    # (not 约设计师面谈需要预约吗, 约顾问要钱吗: what it takes, what it costs)
    rf"(?![\u4e00-\u9fff]{{0,4}}?(?:需要|要不要|多少钱|收费|要钱|费用|价格))"
    # 转给石匠师傅吧: put through to a trade's person, the clause's start (not 我转给师傅了, 转给师傅的钱: money sent)
    rf"|(?:(?:^|(?<=[，,。！!？?\s]))|请|麻烦|帮我)转(?:给|接给?|到)(?:你们的?)?{_TRADE_ZH}(?=吧|处理|一下|[，,。！!？?]|$)"
    # 我要找你们的人说话: the shop's people, to talk with (你们的人说话挺客气 describes them)
    rf"|找(?:一下|下)?(?:你们|您们)的?(?:[\u4e00-\u9fff]{{1,4}}的)?(?:人|老板|负责人|经理)(?:说话|说|聊|谈|沟通|处理|解决|对接)"
    # 客服能不能回个话: the person asked to answer
    rf"|{_SOMEONE_ZH}(?:能不能|可不可以|能否|可否|请|麻烦)(?:给我)?(?:回个话|回个消息|回复一下|回复我|回我一下|回一下)"
    # 想搵銷售同我傾下, 請安排設計師打電話俾我: one of the shop's people, named by their trade, sent to talk
    # to the visitor or ring them
    # (搵返個導遊同我講: Cantonese 返, the one the visitor had)
    # (能让花店老板直接跟我聊吗, 麻烦派个师傅跟我对接一下)
    # (换一个顾问跟我对接: another one)
    # (找你们的项目负责人跟我说清楚: named by what they look after)
    rf"|(?:找|叫|让|请|安排|派|换)(?:返|回)?(?:一下|下)?(?:一?个|一位|位)?(?:你们的?)?"
    rf"(?:[\u4e00-\u9fff]{{1,4}}(?=负责人|经理|主管|专员|顾问))?"
    rf"(?:{_SOMEONE_ZH}|{_TRADE_ZH}|(?:[\u4e00-\u9fff]{{1,3}}的?)?(?:老板|老细))(?:尽快|马上|直接|当面)?"
    # (叫设计师跟我确认一下图案: confirmed with the visitor)
    rf"(?:(?:跟|和|同|与|给)我(?:说|讲|倾|聊|谈|沟通|解释|联系|联络|对接|确认|核对|商量|打(?:个)?电话|回(?:个)?电话)|"
    rf"(?:打|回)(?:个|一个)?电话给我|"
    # (請鎖匠打給我: Taiwan's 打给我; 搵個師傅打返俾我: Cantonese 打返, a call back)
    rf"联系我|打给我|打(?:回|返)(?:个电话)?给我)"
    # 叫 installer 打给我: the shop's person named in English, asked to ring the visitor
    # (not a phone's assistant, 让 siri 打给我, nor a ride called, 叫 Uber 跟我说一下到哪了)
    rf"|(?:找|叫|让|请|安排|派)\s*(?:你们的?)?\s*(?:(?i:the|your)\s+)?"
    rf"(?!(?i:siri|alexa|google|bixby|cortana|uber|grab|lyft|didi|bolt)\b)[A-Za-z]{{2,20}}"
    rf"\s*(?:尽快|马上|直接)?\s*"
    rf"(?:打给我|打(?:个)?电话给我|给我打(?:个)?电话|联系我|给我回(?:个)?电话|打(?:回|返)给我|"
    # (叫 pilot 跟我讲一下)
    rf"(?:跟|和|同|与)我(?:说|讲|聊|谈|沟通|解释|确认))"
    # 打电话给我好吗，我看不懂这些条款: the shop asked to ring the visitor, the clause's start (not 打电话给我的快递员说…)
    rf"|(?:^|(?<=[，,。！!？?\s]))(?:请|麻烦|能不能|可以|你们)?(?:给我打(?:个)?电话|打(?:个)?电话给我)"
    rf"(?=\s*(?:好吗|好不好|可以吗|行吗|吧|[，,。！!？?]|$))"
    # 师傅啥时候能给我回个电话: the shop's person (a trade's too) to ring the visitor back
    rf"|(?:{_SOMEONE_ZH}|{_TRADE_ZH})[\u4e00-\u9fff]{{0,6}}?(?:给我回|给我打|回我)(?:个|一个)?电话(?!了|过|说)"
    # 麻烦客服回个电话: only a person calls back (客服打电话给我说… reports one)
    rf"|(?:^|[，,。！!？?\s]|麻烦|请)(?:你们的?)?{_SOMEONE_ZH}(?:尽快|马上|赶紧)?(?:给我)?(?:回|打)(?:个|一个)电话"
    rf"(?!给我说|说|了)"
    # 客服人员请回复: the person asked to answer, the whole clause (客服回复说… reports one)
    rf"|{_SOMEONE_ZH}(?:请|麻烦)(?:尽快)?(?:回复|答复|回个话|回一下)(?:一下)?(?:我)?\s*[!！。.~～]*\s*$"
    # 客服小姐姐快出来: come out
    rf"|{_SOMEONE_ZH}的?(?:快|赶紧|快点)?(?:出来|现身|出现)"
    # 叫你们的技术人员来看一下: the shop's technical people sent for (需要技术人员上门吗 asks about a visit)
    # (叫你们技术的来看看)
    rf"|(?:叫|让|请)(?:一下|下)?(?:你们的?|您们的?)技术(?:人员|支持)?的?(?:来|过来|出来)"
    # 麻烦请技术人员看一下: the shop's technical people asked to look (要请技术人员看一下吗 asks whether to)
    rf"|(?:叫|让|请)(?:一下|下)?(?:一?个|一位|位)?(?:你们的?|您们的?)?(?:技术人员|技术支持|工程师|技术员)(?:来|过来)?(?:帮我?)?"
    rf"(?:看|处理|检查|核实|解决|跟进)(?![\u4e00-\u9fff]{{0,4}}?(?:吗|么|嘛))"
    # 叫个人来处理, 找个人来: someone sent for
    # (咋整啊，整个人来帮我看看: Northeastern 整, "get")
    # (能摇个人来吗: the internet's 摇人, people called in; 喊个人来: Sichuan's 喊, "call"; 寻个人来: "find")
    # (not 喊个人来搬家要多少钱: a visit's price)
    rf"|(?:叫|找|换|派|整|求|摇|喊|寻)(?:一?个|一位)(?:人|{_SOMEONE_ZH})(?:来|过来|出来)"
    rf"(?![\u4e00-\u9fff]{{0,8}}?(?:多少钱|收费|要钱|费用|价格))"
    # 我要搵人跟進我張單 (找人跟进我张单): someone sent for to handle the visitor's matter (找人帮我收货
    # finds someone of the visitor's own)
    # (想搵人幫手跟進下張單: Cantonese 帮手 between; 能不能叫人打电话给我: someone to ring the visitor)
    rf"|(?:要|想|帮我|需要|请|得|能不能|可不可以|能否|可以)(?:找|叫|派)(?:一?个|一位)?(?:真|活)?人(?:来|过来)?(?:帮手|帮忙|帮我)?"
    # (拜託幫我找人處理啦: the clause ends there)
    rf"(?:(?:跟进|处理|核实|解决|对接|回复|联系)(?:一下|下)?(?:我|这|此|张|个|份|(?=\s*(?:啦|吧|啊|呀|嘛|[，,。！!？?；;]|$)))|"
    rf"打电话给我|给我打(?:个)?电话|回(?:个)?电话给我)"
    # 马上安排人跟进: someone arranged to follow it up (我们会安排人处理 is the visitor's side)
    rf"|(?:^|[，,。！!？?\s]|马上|尽快|赶紧|立刻|请|麻烦|帮我|你们)安排(?:一?个|一位)?专?人(?:来|过来)?"
    rf"(?:跟进|处理|核实|解决|对接|回复|联系)(?:一下|下)?(?:我|这|此|(?=\s*(?:[，,。！!？?；;]|$)))"
    # 我要找领队: one of the shop's people named by their trade, sent for (我想找个导游 hires one)
    rf"|(?:我|我们)(?:要|想|想要|需要)(?:找|叫)(?:返|回)?(?:一下|下)?(?:你们的?)?{_TRADE_ZH}"
    rf"(?=\s*(?:[，,。！!？?；;]|$|跟进|处理|对接|帮我|联系我))"
    # 物业的人来一下: someone of a party's, sent for (物业的人来了吗 asks whether they came)
    rf"|(?:^|[，,。！!？?\s]|叫|让|请)(?:你们)?[\u4e00-\u9fff]{{1,6}}?(?:那边|这边|方面)?(?<!我)(?<!我家)(?<!我们)的人(?:快|赶紧|马上)?"
    rf"(?:来|过来|出来)(?:一下|下)(?=吧|啊|呀|\s*(?:[，,。！!？?；;]|$))"
    # 帮我联系房东那边的人: the visitor put in touch with a party's people
    rf"|(?:帮我|给我|请|麻烦)(?:你们)?(?:(?:联系|联络)(?:一下|下)?[\u4e00-\u9fff]{{1,6}}?(?:那边|那头|方面)?|"
    rf"(?:找|叫)(?:一下|下)?[\u4e00-\u9fff]{{1,6}}?(?:那边|那头|方面))(?<!我)(?<!我家)(?<!我们)的人"
    # 把宽带师傅的电话给我: how to reach the shop's person, asked for
    # (理赔专员电话多少: whoever looks after the visitor's matter, named by it, 的 left out)
    rf"|(?:{_TRADE_ZH}|[\u4e00-\u9fff]{{1,4}}(?:专员|经理|主管|顾问))的?(?:电话|手机号?|联系方式|微信)(?:号码?)?"
    # (船長電話可以給我嗎)
    rf"(?:(?:可以|能|能不能|可不可以|麻烦)?(?:给我|发我|发给我|告诉我)|是多少|多少)(?!钱)"
    # 负责售后的小哥哥在不在: whoever looks after it, whether they are there
    rf"|负责[\u4e00-\u9fff]{{1,8}}?的(?:人|同事|小哥哥?|小姐姐?|哥哥|姐姐|{_TRADE_ZH}|{_SOMEONE_ZH})?"
    rf"(?:在吗|在不在|在么|呢|在哪|在线吗)"
    # 请问你们的 sales 可以加我微信吗: a person of the shop's to add the visitor (怎么加客服微信 asks how the
    # visitor adds them: a way to reach the shop)
    rf"|(?:{_SOMEONE_ZH}|{_TRADE_ZH}|(?i:sales|agent|staff))\s*(?:可以|能|能不能|可不可以|请|麻烦)?(?:直接)?加(?:一下)?我(?:的)?"
    rf"(?:微信|(?i:wechat|whatsapp|line|qq))(?!了|过)"
    # 快递小哥能不能给我打个电话: the courier asked to ring the visitor (快递小哥给我打电话了 reports one)
    rf"|(?:快递小哥|快递员|快递|骑手|外卖小哥|送货员|司机)(?:能不能|可不可以|能否|可以|能|请|麻烦)?(?:先)?给我打(?:个|一个)?电话"
    rf"(?!了|过|说)"
    # 同学，帮我叫一下你们老师: the shop's person named by their trade, sent for (你们: the shop's)
    rf"|(?:叫|找|喊)(?:一下|下)?(?:你们的?){_TRADE_ZH}(?=\s*(?:[，,。！!？?；;]|$|来|过来|出来))"
    # 失物招领处的人能联系我吗: an office's people, asked to get in touch
    rf"|[\u4e00-\u9fff]{{1,6}}(?:处|部|中心|办公室|科|组|台)的(?:人|同事|工作人员)(?:能|可以|能不能|可不可以|请)?(?:尽快)?"
    rf"(?:联系|联络|回复|打电话给|给我打电话)我?"
    # 快派人来: people sent for, now
    rf"|(?:快|赶紧|马上|立刻|请|麻烦)(?:点)?(?:派|叫)(?:个)?人(?:来|过来)"
    # (not 麻烦派人来安装要多少钱: a visit's price)
    rf"(?![\u4e00-\u9fff]{{0,8}}?(?:多少钱|收费|要钱|费用|价格|吗|么|嘛))"
    # 能不能给我个人工服务: a person given to the visitor (not 人工服务费: a fee)
    # (救命，求求了给个真人: 我 left out)
    rf"|给我?(?:一?个|接个|转个?)\s*(?:人工|真人)(?:客服|服务(?!费))?(?!费|服务费)"
    # 人！: the message is only a person, called out
    rf"|^\s*(?:人|活人)\s*[!！]+\s*$"
    # 能不能安排技术支持工程师远程协助: the shop's technical people arranged to help
    rf"|(?:安排|派)(?:一?个|一位)?(?:你们的?)?(?:技术支持)?(?:工程师|技术人员|技术员|技术支持)(?:远程)?(?:协助|帮忙|处理|看看|看一下|支持)"
    # 请问谁负责我们公司的账号，我想跟他聊: whoever looks after it, then talked with
    # 谁能帮我处理一下: someone asked for who can handle it
    # (not 谁可以处理这种材料: who can do a job)
    rf"|谁(?:能|可以)(?:(?:帮我|给我|来)(?:处理|解决|跟进|核实)|(?:处理|解决|跟进|核实)(?:一下|下))"
    rf"|谁(?:负责|管|处理|跟进)[\u4e00-\u9fff]{{1,12}}[，,。？?\s]*我(?:想|要|需要)?(?:跟|和|同|与)(?:他|她|(?i:ta))"
    rf"(?:聊|说|谈|沟通|联系)"
    # 我想找个人问问: someone to ask
    rf"|(?:找|叫)(?:(?:一?个|一位)(?:真|活)?人|(?:一?个|一位)?\s*(?i:engineer|technician|tech|designer|specialist|expert|"
    # (build 的进度想找 engineer 问问: a trade's person named in English)
    # (想找 artist 问一下: any trade's name in English)
    rf"consultant|advis[eo]r|admin|mod|moderator|{_TRADE_EN})s?\s*)(?:来|过来)?(?:问问|问一下|问下|聊聊|聊一下|谈谈|说说|咨询|"
    rf"帮我看看|帮我看一下|帮我看下|帮忙看看|帮忙看一下|"
    # (找个 admin 帮我恢复)
    rf"(?<=[A-Za-z])\s*(?:帮我|帮忙|处理|解决))"
    # 我想搵返之前幫我度身嘅師傅: the trade's person who helped before, asked for again
    # (想找当时给我做的医生)
    rf"|(?:找|叫)(?:返|回)?(?:你们的?)?(?:上次|之前|刚才|刚刚|昨天|以前|当时|那次|那天)[\u4e00-\u9fff]{{0,6}}的{_TRADE_ZH}"
    # 怎么没人回复, 都没人理: nobody answering
    rf"|没(?:有)?人(?:回复|回消息|回我|理|管|说话)"
    # 人工客服什么时候能回复我, 客服怎么还不联系我: the person expected to answer
    # (钢琴调音师傅什么时候能联系我: a trade's person too)
    # (not 老师会联系我吗: what happens next)
    rf"|(?:{_SOMEONE_ZH}[\u4e00-\u9fff]{{0,8}}?|{_TRADE_ZH}(?:(?!会)[\u4e00-\u9fff]){{0,8}}?)"
    rf"(?:回复|回|理|联系|接待|打给|打电话给)我(?!说|了|们)"
    rf"|(?:能不能|能否|可不可以|可以|能)(?:帮我)?(?:让|找|转|叫|换|请)?{_SOMEONE_ZH}"
    rf"|(?:人工|真人)(?:客服|服务)?(?:吗|呢|在吗|在不在)"
    # The message is only the person (客服！！, 人工?), or where they are (客服在吗, 客服人员呢).
    rf"|^[，,\s]*(?:(?:喂|你好|您好)[，,\s]*)?(?:你们|您们)?的?(?:(?:转人工|{_SOMEONE_ZH})[，,、\s!！]*){{1,3}}"
    rf"(?:呢|在吗|在不在线?|在线吗|在线不|在哪|在哪里|在哪儿|(?:跑|去)哪(?:儿|里)?(?:去)?了|有吗)?\s*[!！?？。.~～]*\s*$"
    rf"|我要(?:跟|和|同)(?:真人|人|人工)(?:说|聊|讲|沟通)"
    # 有人在线吗, 有人在吗, 有没有人在: is anyone there at all
    # (有人在线支付成功了吗 asks whether anyone paid online: 在线 before what is done online)
    rf"|有(?:没有)?人在(?!线(?:支付|付款|付费|下单|购买|买|预约|预订|订|办理|申请|注册|填写|观看|看|听|学习|学|玩|充值|缴费))"
    rf"线?(?:吗|么|嘛|没|不)?|有人(?:吗|么|嘛)"
    # 这事得人工来帮我弄: a person who must come and handle it
    rf"|(?:得|要|需要|必须|只能|还是得?|最好|希望)有?(?:你们的?)?{_SOMEONE_ZH}(?:来|出面)"
    rf"(?:帮|处理|解决|跟进|介入|回复|看|弄|搞|操作|核实|确认)"
    # 给我转接到投诉部门: a department the visitor is put through to
    rf"|(?:转介|转|转接|转到|接通|接到|接)(?:给|到)?(?:一下|下)?(?:你们的?)?"
    rf"(?:投诉|售后|客服|财务|技术|销售|售前|退货|退款|物流|理赔|会员)(?:部门|部|中心|组|专线|团队)"
    # 请联系我, 麻烦尽快给我回电: only a person can (the whole clause)
    # (请联系我换货: and what for)
    rf"|(?:^|[，,。！!？?\s])(?:请|麻烦|烦请)(?:你们)?(?:尽快|马上|赶紧)?(?:联系|联络|致电)(?:一下)?我(?!们)"
    rf"(?:一下)?(?:换货|退货|退款|改期|处理|核实|确认)?(?:吧|好吗)?\s*(?=[，,。！!？?\s]|$)"
    rf"|(?:^|[，,。！!？?\s])(?:请|麻烦|烦请)(?:你们)?(?:尽快|马上|赶紧)?给我(?:回|打)(?:个|一个)?电话"
    # 请尽快回电 (回电 is a call returned: only a person makes it)
    rf"|(?:^|[，,。！!？?\s])(?:请|麻烦|烦请)(?:你们)?(?:尽快|马上|赶紧)?(?:给我)?回(?:个|一个)?电(?:话)?"
    rf"(?=[，,。！!？?\s]|$|给我|吧)"
    # 人工客服怎么转, 真人要如何呼叫: how to be put through to the person (客服怎么联系 asks for a
    # way to reach them, as 客服电话多少 does)
    rf"|{_SOMEONE_ZH}(?:要|该|应该|得)?(?:怎么|如何|怎样)(?:才能)?(?:转|转接|接通|呼叫|召唤)"
    # 人工服务在哪里转, 真人客服从哪儿接通: where to be put through to the person
    rf"|{_SOMEONE_ZH}(?:要|该|应该|得)?(?:在|从|去)?(?:哪里|哪儿|哪)(?:可以|能|才能)?(?:转|转接|接通|呼叫|召唤)"
    # 我要直接反映给你们负责人: a matter taken to the shop's person (已经反映给客服了 was, reported)
    rf"|(?:要|想|得|希望|需要|必须|请|帮我)(?:直接)?(?:反映|反馈|投诉|上报|汇报|举报)(?:给|到)(?:你们的?|您们的?)?"
    rf"(?:{_SOMEONE_ZH}|上级|上面)"
    # 把你们主管叫过来, 把人叫出来: the shop's person sent for
    rf"|把(?:你们的?|您们的?)?(?:{_SOMEONE_ZH}|(?:一?个|一位)?人)(?:给我)?(?:叫|喊|请|找)(?:过来|出来|来)"
    # 叫个同事出来: only the shop's colleague comes out to the visitor
    rf"|(?:叫|喊|请|让)(?:一?个|一位|位)?同事(?:出来|过来|来)"
    # "can i 跟客服 talk 一下": with a person named in Chinese, the English verb after it
    # (跟 donor care 的人 talk 一下: a team's people, named in English or Chinese)
    rf"|(?:跟|和|同|与)(?:你们的?|您们的?)?\s*(?:{_SOMEONE_ZH}|(?:[A-Za-z][A-Za-z ]{{0,20}}?|[\u4e00-\u9fff]{{1,6}}?)\s*的人)"
    rf"\s*(?i:talk|speak|chat)\b(?!\s*(?:过|了))"
    # 你们有人能接电话吗: someone to take the visitor's call
    rf"|有(?:没有)?{_PERSON_ZH}(?:可以|能|会)?(?:接|听)(?:一下|个)?(?:我的?)?电话"
)
_NOT_A_PERSON_ZH = re.compile(
    rf"{_DECLINED_ZH}|{_OWN_ROLE_ZH}|"
    # whether anyone has tried it, a question to other buyers (有冇人用過呢個牌子)
    r"有(?:没有)?人(?=(?:用|买|试|吃|食|穿|去|玩|喝|看|戴|住|坐|开|养|种|做|听|读|学)过)|"
    # an English thing named after people among Chinese words: 有没有 staff discount, 有 human hair 吗
    rf"(?i:(?<![a-z])(?:(?:staff(?:\s+member)?|employee|team(?:\s+member)?|agent)\s+{_KEPT_FOR_STAFF_EN}|"
    rf"human[\s-]+{_HUMAN_AS_A_THING_EN})(?![a-z])|human\s*{_HUMAN_AS_A_THING_ZH})|"
    # (客服电话 is a way to reach the service; 跟客服电话沟通 talks to them by phone)
    r"人工智能|人工费|人工成本|人工草坪|人工湖|客服电话(?!沟通|联系|说|聊|谈|通话)|客服邮箱|客服时间|"
    # 真人 describing a thing, not a person to talk to: 真人模特图, 真人版, 真人实拍, 真人尺寸
    # (真人试坐的视频: a real person trying it, on film)
    r"真人(?:试[\u4e00-\u9fff]|测评|评测|演示|示范|体验|展示|"
    r"模特|秀|版|实拍|照片?|图片?|视频|尺寸|大小|比例|发|头发|娃娃|玩偶|手办|演出|表演|电影|剧|配音|"
    # (有没有真人陪练: a practice partner, a service)
    r"试穿|试戴|上身|出镜|试听|课|课程|直播|发音|朗读|录音|陪练|陪玩|陪跑|陪驾|"
    # (有没有真人语音包: a voice pack recorded by a real person)
    r"语音包|表情包|声音|音色|原声|素材|写真|"
    # (给个真人好评: a genuine review)
    r"好评|评价|点评|晒图|晒单)|"
    # the after-sales service a product comes with, not a person: 这款有售后吗, 有没有售后服务, 包售后吗
    # (有售后可以帮我看看吗 and 有没有售后人员 still ask for one)
    r"(?:有|提供|包)(?:没有|不)?售后(?:服务|保障|保修)(?!人员|客服|同事|的人)|"
    r"(?:有|提供|包)售后(?:服务|保障|保修)?(?=吗|么|嘛|不|没)|"
    # people hired, not asked for: 你们招人工客服吗, 在招兼职客服吗
    rf"(?:招聘|招募|招收|在招|招)(?:不招)?(?:一?个|些|几个)?(?:兼职|全职|临时)?的?{_SOMEONE_ZH}|"
    # the bot's own name (智能客服能识别图片吗), labour charged (上门安装要另收人工吗)
    r"(?:智能|AI|ai|机器人|自动)客服|(?:另|再|要|多)?(?:收|算|加|付|给)人工|"
    # work done by hand, not a person to talk to: 需要人工安装吗, 需要人工来安装吗
    r"人工(?:来|上门)?(?:安装|操作|维修|清洗|审核|翻译|计算|上门|种植|培育|合成|养殖|降雨|呼吸)"
    # an artificial part of the body: 人工植牙, 人工关节, 人工晶体
    r"|人工(?:植牙|种植牙|牙齿?|关节|晶体|耳蜗|心脏|瓣膜|角膜|骨|授精)"
    # whether something needs work by hand (需要人工调试吗), not a person asked for (需要人工处理)
    r"|(?:需要|要|得|用)人工(?!客服|服务|坐席|帮|处理|介入|回复|接待|沟通)[\u4e00-\u9fff]{2}(?=吗|么|嘛|不|？|\?)"
    # a person who must sign or agree, not one asked for: 需要店长签字吗
    r"|(?:需要|要|得)(?:经过)?(?:你们的?)?(?:经理|店长|店主|主管|负责人|领导|商家|卖家)的?(?:签字|签名|同意|批准|审批|确认|在场)"
    # … or come along (参观工厂需要工作人员陪同吗: a visit's rules, not a person asked for)
    r"|(?:需要|要|得)(?:有)?(?:你们的?)?(?:工作人员|员工|店员|服务人员|导游|专人)(?:陪同|陪着|带领|带队|在场|到场)"
    # whether someone else is a real person, not one asked for: 讲解员是真人吗 (你是真人吗 asks the bot)
    r"|[\u4e00-\u9fff]{0,6}?(?<![你您])是(?:不是)?(?:真人|活人)(?:吗|么|嘛|呢|还是|[？?])"
)
# Robots that are products, not the bot: 扫地机器人, 机器人吸尘器.
_PRODUCT_ROBOT_ZH = re.compile(
    r"(?:扫地|拖地|擦窗|炒菜|教育|陪伴|玩具|早教|送餐|割草|工业|智能)机器人|机器人(?:吸尘器|玩具|模型|套件)"
)
_GIVES_UP_ZH = re.compile(
    r"(?:机器人|机械人|智能客服|智能助手|自动客服|自动回复|你)(?:真|太|好|根本|完全)?不行"
    r"|(?:(?:机器人|机械人|智能客服|智能助手|自动客服|自动回复)[\u4e00-\u9fff]{0,5}?|你[\u4e00-\u9fff]{0,2}?)"
    r"(?:没用(?![过完])|(?:一点|一点儿|半点)?用(?:都|也)没有|毫无用处|没(?:什么|啥)用|听不懂|太笨|笨死|答非所问|帮不了|(?:什么|啥)(?:都|也)(?:不懂|不会|不知道)|"
    r"都不对|不靠谱|说不(?:明白|清楚?|通))"
    # 机器人回答不了: the bot cannot answer or solve it (not 你解决不了吗, a question to it)
    r"|(?:机器人|机械人|智能客服|智能助手|自动客服|自动回复)[\u4e00-\u9fff]{0,5}?(?:(?:回答|答|解决|处理|解答)不了|搞不定)"
    r"|不(?:要|想)(?:再)?(?:跟|和)?(?:机器人?|AI|ai|自动回复|智能客服)|别(?:用)?机器人"
    r"|不(?:再)?(?:跟|和)(?:机器人?|AI|ai|自动回复|智能客服)(?:说|聊|讲)"
)


# A clause that is only an unmistakable call for a person: 人工！人工！, "…，换人", 转人工吧.
# (Not a bare 客服: "客服，我想问一下运费" addresses the bot by that name.)
# A clause asking where the person is: 客服在不在？我有急事; 人呢？怎么没人回复.
_ONLY_PERSON_ZH = re.compile(
    r"^\s*(?:给我|帮我|请|麻烦|我(?:要|想要?|需要)?)?(?:(?:(?:转|换|要|找|叫)个?)?(?:人工(?:客服|服务)?|真人(?:客服)?)|(?:转|换|要|找|叫)个?人)+"
    r"(?:吧|啊|呀|来|谢谢|\s*(?:please|pls|plz))?\s*$"
    # 这个要人工审核一下吧，帮我转: "put me through", the whole clause
    # (在？转: 转 a clause of its own)
    r"|^\s*(?:给我|帮我|麻烦|请)?(?:帮我|给我)?转(?:接)?(?:过去|一下|下)?(?:吧|啊|呀|谢谢)?\s*$"
    rf"|^\s*给我(?:一?个|接|转)?\s*{_SOMEONE_ZH}\s*$"
    rf"|^\s*(?:给我|帮我|请|麻烦)?(?:你们|您们)?的?{_PERSON_ZH}(?:呢|在吗|在不在线?|在线吗|在线不|在哪|"
    rf"在哪里|在哪儿|去哪了|去哪儿了|(?:在)?(?:哪里|哪儿|哪)(?:可以|能)?找(?:到|得到)?|怎么找|"
    rf"\s*(?i:(?:help(?:\s+me)?\s*)?(?:please|pls|plz)|help(?:\s+me)?))(?:呢|啊|呀|啦)?\s*$"
)
_CLAUSES_ZH = re.compile(r"[^，,。！？!?；;\n]+")
# A person asked for in the languages visitors most often write besides English and Chinese: Spanish
# ("necesito hablar con alguien"), French ("parler à un conseiller"), German ("mit einem Mitarbeiter
# sprechen"), Portuguese, Italian and Hindi in Latin letters ("koi human hai kya?", "agent se baat karao") — the
# common ways only, in one rule (the embedder's check reads the rest: it is multilingual).
_ASKS_OTHER_LANGUAGES = re.compile(
    r"\b(?:hablar|comunicarme|contactar)\s+con\s+(?:alguien|una\s+persona|un\s+(?:humano|agente|asesor|operador|"
    r"representante|encargado|gerente|supervisor)|(?:el|la)\s+(?:encargad[oa]|gerente|supervisora?|responsable))\b"
    r"|\b(?:quiero|necesito|quisiera)\s+(?:un|una)\s+(?:humano|persona\s+real|agente|asesor|operador)\b"
    r"|\bparler\s+(?:à|a|avec)\s+(?:quelqu['’]un|un\s+(?:humain|conseiller|agent|responsable|op[ée]rateur)|"
    r"une\s+(?:personne|conseill[èe]re|vraie\s+personne)|(?:le|la)\s+(?:responsable|g[ée]rante?|directeur|directrice))"
    r"|\bmit\s+(?:einem|einer)\s+(?:menschen|person|mitarbeiter(?:in)?|berater(?:in)?|verantwortlichen)\s+"
    r"(?:sprechen|reden)\b|\bmit\s+jemandem\s+(?:sprechen|reden)\b"
    r"|\bfalar\s+com\s+(?:algu[ée]m|um\s+(?:atendente|humano|agente)|uma\s+pessoa)\b"
    r"|\bparlare\s+con\s+(?:qualcuno|un\s+operatore|una\s+persona|un\s+umano)\b"
    r"|\bkoi\s+(?:real\s+|asli\s+|live\s+)?(?:human|insaan|insan|banda|aadmi|person|agent|staff|executive|"
    r"representative)\s+(?:hai|h|he|hain|milega|available)\b"
    r"|\b(?:human|insaan|insan|banda|aadmi|person|agent|staff|executive|representative|manager|customer\s+care)\s+se\s+"
    r"baat\s+(?:karao|karwao|karwa\s+do|kara\s+do|karni\s+hai|karna\s+hai|karwaiye|karaiye)\b",
    re.IGNORECASE,
)
# 转人工 typed in pinyin, without tones (the keyboard left in Latin mode): "zhuan rengong",
# "ren gong ke fu", "wo yao zhenren". The whole message only: "rengong fei" is labour charged.
_PINYIN_ASK = re.compile(
    r"^\W*(?:(?:qing|bang\s*wo|wo\s*yao|gei\s*wo)\s*)?(?:zhuan\s*(?:jie\s*)?(?:dao\s*)?)?"
    r"(?:ren\s*gong|zhen\s*ren)(?:\s*(?:ke\s*fu|fu\s*wu))?"
    r"(?:\s*(?:please|pls|plz|ba|a|ya))*\W*$"
    # "kefu zai ma" (客服在吗): whether the person is there
    r"|^\W*(?:ni\s*men\s*(?:de\s*)?)?(?:ren\s*gong\s*|zhen\s*ren\s*)?ke\s*fu\s*(?:zai\s*(?:ma|me|bu\s*zai)|ne)\W*$",
    re.IGNORECASE,
)


# Texting spellings, and slips that are words themselves, read as the word meant: "let me speak
# to ur boss", "i need to speak with a manger", "get me a hooman". (Other slips in the words for
# a person are mended by :func:`_person_slips`.)
_READ_AS_EN = {
    "ur": "your", "u": "you", "manger": "manager", "hooman": "human", "hmn": "human",
    # Hong Kong's and China's English shorthand: "pls arrange sb to call me"
    "sb": "somebody",
}  # fmt: skip
_SLIPS_EN = re.compile(rf"\b(?:{'|'.join(_READ_AS_EN)})\b", re.IGNORECASE)


def _read_as_meant(match: re.Match[str]) -> str:
    return _READ_AS_EN[match.group().lower()]


#: The words for a person (and what they are called), and the verbs they are asked with ("can i
#: speek to a humen"), that a slip is mended towards.
_PERSON_WORDS = (
    "human", "person", "agent", "operator", "representative", "customer", "service",
    "support", "someone", "somebody", "manager", "supervisor", "employee", "staff",
    "speak", "talk", "chat", "transfer", "connect",
)  # fmt: skip
_LATIN_RUN = re.compile(r"[A-Za-z]{4,}")


_ENDINGS = re.compile(r"(?:s|es|d|ed|ing)$")


def _inflected(word: str, words: frozenset[str]) -> bool:
    """``word`` is another form of a dictionary word, so no slip: a verb's form of any ("manages",
    "staffed" — the dictionary writes words in their plain form, and "manages" is one letter from
    "manager"), a plural of one that is no person word ("agents" is still read as "agent")."""
    ending = _ENDINGS.search(word)
    if not ending:
        return False
    stem = word[: ending.start()]
    doubled = stem[:-1] if len(stem) > 3 and stem[-1] == stem[-2] else ""  # chatted: chat
    # a verb's forms are words of their own ("staffed" is not "staff"); a person word's plural is
    # the person word ("agents")
    verb = ending.group() in ("d", "ed", "ing")
    return any(
        (w in words or w in _PERSON_WORDS) and (verb or w not in _PERSON_WORDS)
        for w in (stem, stem + "e", doubled)
    )


def _person_slips(text: str) -> str:
    """``text`` with each slip of a word for a person, or of a verb asking for one, mended
    ("humam", "reprasentative", "custmer servise", "humen", "speek"): a word one letter off
    (two for long words) that is no English word itself ("stuff" is not "staff", "persona" not
    "person"; a name the dictionary writes capitalised is no word here: Humen is a town) — and
    such a word split in two by a space ("a represent tive", "hu man"), one half no word of its
    own ("super visor", two words, is left as written)."""
    words = common_english_words()

    def known(word: str) -> bool:
        return word in words or word in _PERSON_WORDS or _inflected(word, words)

    def a_word(half: str) -> bool:  # the dictionary leaves out the short words that join others
        return known(half) or half in ENGLISH_FUNCTION_WORDS

    def meant(word: str) -> str | None:
        found = process.extractOne(
            word, _PERSON_WORDS, scorer=OSA.distance, score_cutoff=max_slips(word)
        )
        return found[0] if found else None

    def mend(match: re.Match[str]) -> str:
        word = match.group().lower()
        return match.group() if known(word) else meant(word) or match.group()

    return _LATIN_RUN.sub(mend, _joined_halves(text, a_word, meant))


_LATIN_TOKEN = re.compile(r"[A-Za-z]{2,}")


def _joined_halves(text: str, a_word, meant) -> str:
    """``text`` with a person word split in two by a space read whole: "represent tive" →
    "representative" (see :func:`_person_slips`)."""
    if " " not in text:
        return text
    tokens = list(_LATIN_TOKEN.finditer(text))
    out: list[str] = []
    at = i = 0
    while i < len(tokens) - 1:
        first, second = tokens[i], tokens[i + 1]
        halves = (first.group().lower(), second.group().lower())
        whole = meant("".join(halves)) if (
            text[first.end() : second.start()] == " "
            and not (a_word(halves[0]) and a_word(halves[1]))
            and len(halves[0]) + len(halves[1]) >= 5
        ) else None  # fmt: skip
        # (not a word with a short one after it: "transfer me" is no slip of "transfer")
        if whole is None or any(OSA.distance(whole, half) <= max_slips(half) for half in halves):
            i += 1
            continue
        out += [text[at : first.start()], whole]
        at = second.end()
        i += 2
    return "".join(out) + text[at:]


#: How 人工, 客服 and 真人 sound: a pinyin keyboard's slip (人公客服) or a syllable left in Latin
#: letters (人工客fu) is read as the word, where what is written is no word of its own (克服).
_PERSON_SOUNDS = {("ren", "gong"): "人工", ("ke", "fu"): "客服", ("zhen", "ren"): "真人"}
_SOUND_UNITS = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]+|[^\u4e00-\u9fffA-Za-z]+")


@lru_cache(maxsize=1)
def _sounding() -> dict[str, frozenset[str]]:
    """Each character that can be read as a syllable of :data:`_PERSON_SOUNDS` -> those
    readings (toneless), from pypinyin's table: a message is read without converting it."""
    from pypinyin.pinyin_dict import pinyin_dict

    wanted = {syllable for pair in _PERSON_SOUNDS for syllable in pair}
    out: dict[str, frozenset[str]] = {}
    for code, readings in pinyin_dict.items():
        plain = {
            "".join(c for c in unicodedata.normalize("NFD", r) if c.isascii())
            for r in readings.split(",")
        }
        if plain & wanted:
            out[chr(code)] = frozenset(plain & wanted)
    return out


def _person_sounds(text: str) -> str:
    if not _HAN.search(text):
        return text
    table = _sounding()
    units = _SOUND_UNITS.findall(text)
    sounds = [table.get(u, frozenset()) if _HAN.match(u) else frozenset([u.lower()]) for u in units]
    out, i = [], 0
    while i < len(units):
        word = next(
            (w for (a, b), w in _PERSON_SOUNDS.items() if i + 1 < len(units)
             and a in sounds[i] and b in sounds[i + 1]),
            None,
        )  # fmt: skip
        written = "".join(units[i : i + 2])
        if word is not None and written != word and not known_word(written):
            out.append(word)
            i += 2
        else:
            out.append(units[i])
            i += 1
    return "".join(out)


# "kf在吗": 客服 by its pinyin's initials, before Chinese or alone (not KF94, a mask)
_KF = re.compile(r"(?<![A-Za-z0-9])[kK][fF](?=[\u4e00-\u9fff]|\s*[?？!！]*\s*$)")
# 人工 / 真人 typed in pinyin among Chinese words (我要找 ren gong)
_PINYIN_PERSON = re.compile(
    r"(?<![A-Za-z])(?:ren\s?gong|zhen\s?ren)(?:\s?ke\s?fu)?(?![A-Za-z])", re.IGNORECASE
)
# Words read as plain Mandarin's: Northern Mandarin's 俺 (I) and 嘞 (its 的, before a clause's end or 人): 给俺找个管事嘞;
# a formal letter's 贵司 / 贵公司 (your company) and 本人 (I, where it starts a clause or follows 与 / 请…):
# 烦请贵司安排相关工作人员与本人联系 (not 医生本人: the doctor himself)
_PLAIN_MANDARIN = re.compile(
    # (师父, "master", written for 师傅, the tradesperson: 你们那个灭虫的师父在不在)
    # (找个人儿问问: the north's 儿 after 人; not 儿童, 儿科)
    r"人儿(?![童科女子歌])|师父|俺|(?<=[\u4e00-\u9fff])嘞(?=\s*(?:[，,。！!？?；;~～]|$|人))"
    r"|贵(?:公司|司|店|方|单位)|(?:^|(?<=[与跟和同给请，,。！!？?\s]))本人"
)
# 木有 (the internet's 没有): 有木有人工, 木有人回复
_MU_YOU = re.compile(r"(?<=有)木有|木有(?=人)")
# 阿有 (Nanjing's and Suzhou's question, "is there"; 阿有人工啊) and 有…冇 (Hakka's and Cantonese's order: 有人冇？),
# read as 有没有
_A_YOU = re.compile(r"(?:^|(?<=[，,。！!？?\s]))阿有")
_YOU_X_MO = re.compile(
    r"有([\u4e00-\u9fff]{1,4}?)(?:冇|没有?)(?=\s*(?:[？?，,。！!]|$|啊|呀|哦|嘛))"
)
# … and 人工 by its initials after Chinese ("转rg"), or written 入工 (入 for the 人 it looks like)
_RG = re.compile(
    r"(?<=[\u4e00-\u9fff])[rR][gG](?![A-Za-z0-9])|入(?=工(?:客服|服务|坐席|[吗呢啊吧！!？?。，,\s]|$))"
)
# Where a Chinese character meets a Latin letter ("我想speak to a manager"): a word boundary to the
# English rules, as a space would be.
_HAN_LATIN = re.compile(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z])|(?<=[A-Za-z])(?=[\u4e00-\u9fff])")
# Chinese words that only soften an English sentence ("can someone 帮我 check 一下 my order"): left
# out between two English words, so the English rules read "can someone check my order".
_HAN_FILLER = re.compile(r"(?<=[A-Za-z])\s*(?:帮我|帮忙|帮|请|麻烦|一下|下)\s*(?=[A-Za-z])")
# Chinese words inside an English sentence read as the English words they stand for, in this
# order: 我 after an English word is "me" ("can someone call 我"); 安排 / 让 / 叫 between English
# words "have" ("pls 安排 someone call 我": "pls have someone call me"); 有没有 before an English
# word "is there", and 能 / 可以 after an English person word "who can" ("有没有 someone 能 help 我":
# "is there someone who can help me"); 你们 between English words "your" ("can 你们 staff call 我").
_HAN_AS_ENGLISH = (
    (re.compile(r"(?<=[A-Za-z])\s*我(?![\u4e00-\u9fff])"), " me"),
    (re.compile(r"(?<=[A-Za-z])\s*(?:安排|让|叫)\s*(?=[A-Za-z])"), " have "),
    (re.compile(r"有没有\s*(?=[A-Za-z])"), " is there "),
    # 客户经理 beside English words as "account manager": "can our 客户经理 call me"
    (
        re.compile(
            r"(?<=[A-Za-z]\s)客户经理(?![\u4e00-\u9fff])|(?<![\u4e00-\u9fff])客户经理(?=\s[A-Za-z])"
        ),
        "account manager",
    ),
    # 返我 after an English word as "me back": "唔該 call 返我"
    (re.compile(r"(?<=[A-Za-z])\s*返(?:个)?\s*我(?![\u4e00-\u9fff])"), " me back"),
    # a Chinese word after "from" as a department: "can someone from 票务 call me"
    (re.compile(r"(?<=(?i:from)\s)[\u4e00-\u9fff]{1,6}(?=\s+[A-Za-z])"), "support"),
    # 回我 (一下) after English words as "reply to me": "can 你们 boss 回我一下"
    (re.compile(r"(?<=[A-Za-z])\s*回(?:复)?我(?:一下|下)?(?![\u4e00-\u9fff])"), " reply to me "),
    # 识 / 会讲 before a language between English words as "speaks": "有冇 someone 识 English"
    (
        re.compile(
            r"(?<=[A-Za-z])\s*(?:识讲|识|会讲|会说|讲|说)\s*(?=(?i:english|mandarin|cantonese|chinese)\b)"
        ),
        " speaks ",
    ),
    # 转 (接) before "me" between English words as "transfer": "can you 转 me to an agent"
    (re.compile(r"(?<=[A-Za-z])\s*(?:转接|转)\s*(?=(?i:me|us)\b)"), " transfer "),
    # … and before the person ("pls 转接 your human agent"); 找 there as "find" ("can i 找 your manager")
    (
        re.compile(
            # ("pls 转 a human": 转 alone, before a person word)
            r"(?<=[A-Za-z])\s*(?:转接|转给|转到|转(?=\s*(?i:(?:a|an|the|your)\s+)?(?i:(?:real|live)\s+)?"
            r"(?i:human|agent|person|staff|manager|rep|operator)\b))\s*(?=(?i:your|a|an|the|human|agent|staff|some(?:one|body))\b)"
        ),
        " transfer to ",
    ),
    (
        re.compile(
            r"(?<=[A-Za-z])\s*找\s*(?=(?i:your|a|an|the|human|agent|staff|some(?:one|body))\b)"
        ),
        " find ",
    ),
    (
        re.compile(
            r"\b(some(?:one|body)|any(?:one|body)|a\s+person|a\s+human|staff|admins?|mods?|agents?|managers?)\s*(?:能|可以)\s*"
            r"(帮(?:我|忙)?\s*)?(?=[A-Za-z])",
            re.I,
        ),
        lambda m: f"{m[1]} who can {'help ' if m[2] else ''}",
    ),
    # 给 between English words as "to": "我要 complain 给你们 manager"
    (
        re.compile(
            r"(?<=[A-Za-z])\s*给\s*(?=你们|您们|(?i:your|the|a|an|manager|staff|human|agent|some(?:one|body))\b)"
        ),
        " to ",
    ),
    (re.compile(r"(?<=[A-Za-z])\s*(?:你们|您们)的?\s*(?=[A-Za-z])"), " your "),
    # 的 between English words joins them: "can 搬家 team 的 leader call 我" ("team leader")
    (re.compile(r"(?<=[A-Za-z])\s*的\s*(?=[A-Za-z])"), " "),
    # "can your 保安 call me back": a Chinese word after "your", asked to get in touch, is the shop's person
    (
        re.compile(
            # (not a thing that sends by itself: "can your 系统 email me")
            r"(?<=(?i:your)\s)(?!系统|网站|软件|程序|应用|机器人|邮箱|短信|自动)[\u4e00-\u9fff]{1,4}"
            r"(?=\s+(?i:call|ring|phone|contact|email|text|message|get\s+back)\b)"
        ),
        "staff",
    ),
    # … and another Chinese word before an English person word is what kind of staff they are
    # ("can 平台 staff contact me": the platform's staff)
    (
        re.compile(
            r"(?<=[A-Za-z])\s*[\u4e00-\u9fff]{1,4}\s*(?=(?i:staff|team|agents?|support|manager|supervisor)\b)"
        ),
        " ",
    ),
)
# 真人 / 人工 beside an English word is the English "human" ("真人 help needed here", "I want 真人客服
# now"): the English rules read it as such.
_HAN_PERSON_EN = re.compile(
    r"(?<=[A-Za-z]\s)(?:真人|人工)(?:客服|服务)?(?![\u4e00-\u9fff])"
    r"|(?<![\u4e00-\u9fff])(?:真人|人工)(?:客服|服务)?(?=\s[A-Za-z])"
)
# … and 你们的客服, 店长, 经理 there are staff ("can 你们的客服 call me")
_HAN_STAFF = (
    # ("can 活动的负责人 contact me": in charge of something; "with your 同事")
    # ("talk to 负责的人": whoever is in charge)
    r"(?:你们的?|您们的?)?(?:(?:[\u4e00-\u9fff]{1,4}的?)?(?:负责人|经理|主管)|负责的人|(?:客服|店长|店主|售后|销售)(?:人员|服务)?|"
    r"(?:[\u4e00-\u9fff]{1,4}的)?同事|"
    # "can 安装师傅 call me": a trade's person named in Chinese
    rf"{_TRADE_ZH})"
)
_HAN_STAFF_EN = re.compile(  # "staff": the English rules know it bare
    rf"(?<=[A-Za-z]\s){_HAN_STAFF}(?![\u4e00-\u9fff])|(?<![\u4e00-\u9fff]){_HAN_STAFF}(?=\s[A-Za-z])"
)
# The last clause of a sentence: "I've had enough of automated replies, a human please".
_LAST_CLAUSE = re.compile(r"[^,;]*$")
# "humane" is a word ("humane mouse traps"), and a slip for "human" where one is talked to.
_HUMANE = re.compile(r"\b((?:talk|speak|chat)(?:ing)?\s+(?:to|with)\s+(?:a|an)\s+)humane\b", re.I)
# Old-fashioned English's word for talking with someone ("I wish to converse with a clerk"), read as
# the word every rule knows
_CONVERSE_EN = re.compile(r"\bconvers(e|ing)(?=\s+with\b)", re.IGNORECASE)
# … and the plural "you" of Liverpool, Ireland and Scotland ("one of youse"), read as "you"; texting's
# "ppl" as "people" ("ppl pls")
_YOUSE_EN = re.compile(r"\byou(?:se|z)\b", re.IGNORECASE)
_PPL_EN = re.compile(r"\bppl\b", re.IGNORECASE)


#: A longer message is read piece by piece: its sentences, as many together as fit in a piece,
#: and a sentence longer than a piece in overlapping windows (a phrase of up to the overlap is
#: whole in one). A piece costs ~18 ms at most (hostile text, this project's benchmark host), so a
#: worker thread reading a message at the 4,000-character cap hands the interpreter back between
#: pieces, and a message of one piece is read on the loop. Pieces were 500 characters until the
#: rules grew to hold one for ~27 ms (see docs/benchmarks.md); every labelled message fits in one.
PIECE = 300
_OVERLAP = 100
_CUT_AFTER = re.compile(r"[\s,，、;；:：]")


def _windows(sentence: str) -> list[str]:
    """Overlapping windows of a sentence longer than a piece, each starting after a space or a
    comma where one is near (so that no window starts inside a word)."""
    windows, start = [], 0
    while True:
        windows.append(sentence[start : start + PIECE])
        if start + PIECE >= len(sentence):
            return windows
        start += PIECE - _OVERLAP
        cut = _CUT_AFTER.search(sentence, start, start + _OVERLAP // 2)
        start = cut.end() if cut else start


def pieces(text: str) -> list[str]:
    """``text`` in pieces of at most :data:`PIECE` characters (itself when it fits one)."""
    if len(text) <= PIECE:
        return [text]
    out, current = [], ""
    for match in _SENTENCES.finditer(text):
        sentence = match.group()
        if len(current) + len(sentence) <= PIECE:
            current += sentence
            continue
        if current:
            out.append(current)
        current = sentence
        if len(sentence) > PIECE:
            out += _windows(sentence)
            current = ""
    return [*out, current] if current else out


def asks_for_human(text: str) -> bool:
    """True when ``text`` asks for a person (or gives up on the bot), in English or Chinese
    (traditional characters and written Cantonese read as simplified Mandarin: 轉人工,
    叫你們經理來, 有冇人); a long message when any of its :func:`pieces` does."""
    return any(_piece_asks(piece) for piece in pieces(text))


# Words every sentence has that the dictionary leaves out ("to", "a", "me"), for reading words run together
_SMALL_WORDS_EN = frozenset(
    "a an i me my to the us we you your can could get let pls plz please with for of now here".split()
)
# (a run of its own: not part of a longer one, an address or a file name — "www.talktoahuman.com")
_RUN_TOGETHER = re.compile(r"(?<![A-Za-z0-9.@/_-])[A-Za-z]{10,40}(?![A-Za-z0-9@/_-]|\.[A-Za-z])")


def _spaced_out(text: str) -> str | None:
    """``text`` with its words run together spaced out ("talktoahumanplease" → "talk to a human
    please": a hurry, a phone's keyboard), or None. Only a short message (four tokens at most), and
    a run of 10-40 letters that is no word itself and reads whole as at most eight dictionary words
    (the fewest): a word cut into pieces is left as it is."""
    if len(text.split()) > 4 or not _RUN_TOGETHER.search(text):
        return None
    words = common_english_words()
    changed = False

    def spaced(match: re.Match[str]) -> str:
        nonlocal changed
        run = match.group().lower()
        if run in words:
            return match.group()
        best: list[list[str] | None] = [[]] + [None] * len(run)
        for end in range(1, len(run) + 1):
            for start in range(max(0, end - 20), end):
                before, word = best[start], run[start:end]
                if before is None or not (
                    word in _SMALL_WORDS_EN or (len(word) > 1 and word in words)
                ):
                    continue
                if best[end] is None or len(before) + 1 < len(best[end]):
                    best[end] = [*before, word]
        if best[-1] is None or len(best[-1]) > 8:
            return match.group()
        changed = True
        return " ".join(best[-1])

    out = _RUN_TOGETHER.sub(spaced, text)
    return out if changed else None


def _piece_asks(text: str) -> bool:
    text = simplified(text)
    if _PINYIN_ASK.match(text) or _ASKS_OTHER_LANGUAGES.search(text):
        return True
    text = _RG.sub(_as_rengong, _KF.sub("客服", _person_sounds(_person_slips(text))))
    text = _MU_YOU.sub("没有", text)
    # (patterns tried at every place of every message: only where they can match)
    if "阿有" in text:
        text = _A_YOU.sub("有没有", text)
    if "冇" in text or "没" in text:
        text = _YOU_X_MO.sub(r"有没有\1", text)
    # The Chinese rules read a piece with Chinese in it (a Latin-only one is the English rules' to read: the
    # Chinese rules' English words — "转 agent please" — are for mixed messages): tried on every English
    # piece too, they were a third of the rules' cost on hostile English text, and decided none alone
    if _HAN.search(text):
        text = _PLAIN_MANDARIN.sub(_as_plain_mandarin, _PINYIN_PERSON.sub("人工", text))
        if _chinese_asks(text):
            return True
    meant = _read_in_english(text)
    # Chinese words read as English ones can make a piece longer than it was (a run of "a转me "
    # three times as long): the English rules then read it in windows of a piece, so that no one
    # call holds the interpreter longer than a piece's does.
    windows = [meant] if len(meant) <= PIECE + _OVERLAP else _windows(meant)
    if any(_english_asks(window) for window in windows):
        return True
    spaced = _spaced_out(meant)
    return spaced is not None and _english_asks(spaced)


def _as_rengong(match: re.Match[str]) -> str:
    return "人" if match.group() == "入" else "人工"


def _as_plain_mandarin(match: re.Match[str]) -> str:
    word = match.group()
    if word == "师父":
        return "师傅"
    if word == "人儿":
        return "人"
    return "我" if word in ("俺", "本人") else "的" if word == "嘞" else "你们"


# 搬家公司的负责人能出来说句话吗: the person asked to come out and speak (not 经理过来说了几句, what happened).
# A pattern of its own, searched only where 出来 / 过来 is: one that starts with a person word is tried at
# every character of every message.
_COME_OUT_ZH = re.compile(
    rf"{_SOMEONE_ZH}(?:能|可以|能不能|可不可以|可否|快|赶紧|麻烦)(?:出来|过来)(?:一下|下)?"
    r"(?:说|讲|聊|谈|见|解释|处理|回答|回应|给个说法)"
)


def _chinese_asks(text: str) -> bool:
    if any(_ONLY_PERSON_ZH.match(c.group()) for c in _CLAUSES_ZH.finditer(text)):
        return True
    if _GIVES_UP_ZH.search(_PRODUCT_ROBOT_ZH.sub("", text)):
        return True
    chinese = _without_things_named_ren(_NOT_A_PERSON_ZH.sub("", text))
    return bool(
        _ASKS_ZH.search(chinese)
        or _TALK_WITH_ZH.search(chinese)
        or (("出来" in chinese or "过来" in chinese) and _COME_OUT_ZH.search(chinese))
    )


# Words that start with 人 and name people (有没有人手, 人员在吗, 人事部); any other word the dictionary
# knows that starts with 人 names a thing (人参, 人字拖, 人偶, 人体模特, 人民币).
_REN_PEOPLE = ("人工", "人员", "人手", "人们", "人士", "人人", "人家", "人力", "人事")
_REN_BEFORE_HAN = re.compile(r"人[\u4e00-\u9fff]")
# What a person is reached by, before which 人 is still one: 有没有人电话联系我
_CHANNELS_ZH = frozenset({"电话", "微信", "语音", "视频", "短信", "邮件"})
# … and where 人工 still is one: a person or the way to one after it (有没有人工接线员, 人工小姐姐, 人工客服热线,
# 有人工窗口吗; not 有没有人工雪道: an artificial ski slope)
_RENGONG_STILL_ZH = re.compile(
    rf"{_SOMEONE_ZH}|{_TRADE_ZH}|服务|坐席|座席|专线|热线|窗口|通道|柜台|台|[员姐哥妹]|{'|'.join(sorted(_CHANNELS_ZH))}"
)
# 人工 + a word that names the person or the way to them (人工客服, 人工服务热线); other words the
# index cuts that start with 人工 name things made by people (人工湖, 人工岛, 人工降雨)
_RENGONG_PEOPLE = ("人工客服", "人工服务", "人工坐席", "人工座席", "人工台", "人工专线", "人工热线", "人工电话",
                   "人工通道", "人工窗口")  # fmt: skip


def _without_things_named_ren(text: str) -> str:
    """``text`` without the things whose name starts with 人 (有没有人参, 有冇人手推车卖: no one asked
    for). Words as the index cuts them: one that starts with 人, whose longest start the dictionary
    knows, and that names no people; or 人 (人工) alone before a noun, after 有 / 有没有 / 有无 (有没有人工雪道:
    an artificial ski slope)."""
    if not _REN_BEFORE_HAN.search(text):
        return text
    words = tagged_words(text)
    out: list[str] = []
    skip = False
    for i, (word, _) in enumerate(words):
        if skip:
            skip = False
        elif len(word) > 1 and word[0] == "人" and _names_a_thing(word):
            pass
        elif (
            word in ("人", "人工")
            and 0 < i < len(words) - 1
            and words[i - 1][0] in ("有没有", "有", "有无")
            and _a_thing_after(word, *words[i + 1])
        ):
            skip = True
        else:
            out.append(word)
    return "".join(out)


def _a_thing_after(ren: str, following: str, tag: str) -> bool:
    """``following`` (tagged ``tag``) names a thing, so the 人 or 人工 before it is part of its name
    (有没有人工雪道, 有人工瀑布吗): a noun that is no way to reach a person (有没有人电话联系我), and after 人工
    no person or way to one either (人工接线员, 人工客服热线)."""
    if ren == "人":
        return tag == "n" and following not in _CHANNELS_ZH
    return tag.startswith("n") and not _RENGONG_STILL_ZH.search(following)


def _names_a_thing(word: str) -> bool:
    if word.startswith("人工"):
        return len(word) > 2 and not word.startswith(_RENGONG_PEOPLE)
    return not word.startswith(_REN_PEOPLE) and any(
        known_word(word[:n]) for n in range(len(word), 1, -1)
    )


def _read_in_english(text: str) -> str:
    """``text`` as the English rules read it: Chinese words among English ones as English
    (我 → me, 你们 → your, 人工 → human…), the rest of the Chinese spaced off, slips mended, and
    words the rules do not list read as ones they do (converse with → speak with, youse → you, ppl →
    people)."""
    mixed = text
    for chinese, english in _HAN_AS_ENGLISH:
        mixed = chinese.sub(english, mixed)
    mixed = _HAN_LATIN.sub(" ", _HAN_FILLER.sub(" ", mixed))
    mixed = _HAN_STAFF_EN.sub("staff", _HAN_PERSON_EN.sub("human", mixed))
    mixed = _HUMANE.sub(r"\1human", _SLIPS_EN.sub(_read_as_meant, mixed))
    mixed = _CONVERSE_EN.sub(lambda m: "speak" if m.group(1) == "e" else "speaking", mixed)
    return _PPL_EN.sub("people", _YOUSE_EN.sub("you", mixed))


# "speak. to. someone. real.": every word a sentence of its own, for emphasis (read as one sentence)
_STOPPED_WORDS = re.compile(r"\s*(?:[A-Za-z'’]+\.\s*){3,}")


def _english_asks(meant: str) -> bool:
    if _STOPPED_WORDS.fullmatch(meant) and _english_asks(meant.replace(".", " ")):
        return True
    if any(
        _ONLY_PERSON_EN.match(s.group())
        or _CALLS_FIRST_EN.match(s.group())
        or _ONLY_PERSON_EN.match(_LAST_CLAUSE.search(s.group()).group())
        for s in _SENTENCES.finditer(meant)
    ):
        return True
    english = _FOR_A_SERVICE_EN.sub(" ", _NOT_A_PERSON_EN.sub(" ", meant))
    return bool(
        _GIVES_UP_EN.search(_PRODUCT_ROBOT_EN.sub(" ", english))
        or _ASKS_EN.search(english)
        # (the first few: a piece of "not a bot" over and over would read the people's words each time)
        or any(
            _person_before(english, m.start()) for m in islice(_NOT_THE_BOT_EN.finditer(english), 4)
        )
    )


def _person_before(text: str, end: int) -> bool:
    """A person named in the same sentence, at most 80 characters before ``end``."""
    before = text[max(0, end - 80) : end]
    return bool(_A_PERSON_EN.search(_SENTENCE_END.sub("", before, count=1)))


def warm_up() -> None:
    """Load the tables the rules read slips by (the dictionary's English, what sounds as 人工):
    in a worker thread after start-up, not on the first visitor's message."""
    common_english_words()
    _sounding()


_NOT_A_LETTER = re.compile(r"[\W_]+")
_DIGITS = re.compile(r"\d+")


def asks_again(question: str, before: str) -> bool:
    """The visitor asks again what they asked just before ("How do I reset my password?" twice,
    a slip or a "??" apart): the bot's answer didn't help. A question — several words, or
    ending in a question mark — not "ok" or "thanks" said twice; numbers must be the same (order
    12345, then order 12346, is another question)."""
    if not (NearestRequests.long_enough(question) or question.rstrip().endswith(("?", "？"))):
        return False
    if _DIGITS.findall(question) != _DIGITS.findall(before):
        return False
    now, then = (_NOT_A_LETTER.sub("", t).casefold() for t in (question, before))
    return bool(now) and fuzz.ratio(now, then) >= 90


_EXAMPLES = Path(__file__).with_name("human_examples")
_LATIN_WORD = re.compile(r"[A-Za-z]+")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def examples() -> tuple[list[str], list[str]]:
    """(requests for a person, messages that are not): every labelled example shipped."""
    asks: list[str] = []
    others: list[str] = []
    for path in sorted(_EXAMPLES.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        asks += data.get("asks", [])
        others += data.get("look_alikes", []) + data.get("ordinary", []) + data.get("messages", [])
    return asks, others


_VECTORS = _EXAMPLES / "vectors.npz"


def _examples_key() -> str:
    from ..kb.embed import LocalEmbedder

    asks, others = examples()
    text = json.dumps([LocalEmbedder.name, asks, others], ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def made_vectors(embed) -> tuple[np.ndarray, np.ndarray]:
    asks, others = examples()
    return embed(asks), embed(others)


def shipped_vectors() -> tuple[np.ndarray, np.ndarray] | None:
    """The vectors shipped beside the examples, if they are the examples' (and the built-in
    embedder's): a process starts without embedding hundreds of sentences."""
    try:
        with np.load(_VECTORS, allow_pickle=False) as data:
            if str(data["key"]) != _examples_key():
                return None
            return data["asks"].astype(np.float32), data["others"].astype(np.float32)
    except (OSError, KeyError, ValueError):
        return None


def write_vectors() -> None:
    """Make and store the examples' vectors (after the examples change)."""
    from ..kb.embed import LocalEmbedder

    asks, others = made_vectors(LocalEmbedder().questions)
    with _VECTORS.open("wb") as out:
        np.savez_compressed(
            out, key=np.array(_examples_key()), asks=asks.astype(np.float16),
            others=others.astype(np.float16),
        )  # fmt: skip


class NearestRequests:
    """A message is a request for a person when its nearest labelled requests are ``margin``
    more similar than its nearest labelled non-requests (look-alikes and ordinary messages): the
    mean similarity of the :attr:`NEIGHBOURS` nearest of each, and the one nearest message is a
    request. The one nearest alone is moved by a single request on the same topic ("a person on
    the line about my meter reading" made "How do I submit a meter reading?" one); the mean of
    five is not — and a labelled non-request, nearest to itself, is never one.

    The margin is this embedder's (multilingual E5 small): another model's similarities are on
    another scale, so :meth:`for_embedder` gives one only for the built-in embedder. Messages
    of a word or two ("hmm", 在吗) are left to the rules: too little to be near anything."""

    MARGIN = 0.02
    NEIGHBOURS = 5

    def __init__(self, embed_questions) -> None:
        """``embed_questions``: ``texts -> unit vectors`` as questions, run in a worker thread."""
        self._embed = embed_questions
        self._lock = threading.Lock()
        self._vectors: tuple[np.ndarray, np.ndarray] | None = None

    @classmethod
    def for_embedder(cls, embedder) -> NearestRequests | None:
        from ..kb.embed import LocalEmbedder

        return cls(embedder.questions) if isinstance(embedder, LocalEmbedder) else None

    def warm_up(self) -> tuple[np.ndarray, np.ndarray]:
        """The examples' vectors: shipped with them (made by ``python -m
        shared.conversations.asks_human``), or made here once if the examples changed since
        (blocking: call from a worker thread)."""
        with self._lock:
            if self._vectors is None:
                self._vectors = shipped_vectors() or made_vectors(self._embed)
            return self._vectors

    @staticmethod
    def long_enough(text: str) -> bool:
        return len(_LATIN_WORD.findall(text)) + len(_HAN.findall(text)) / 2 >= 2.5

    async def is_request(self, text: str, vector: np.ndarray) -> bool:
        """``vector``: ``text`` embedded as a question by the same embedder. A message that
        declines a person ("no need for an agent", 不用转人工了), names the visitor's own job
        ("I'm in customer service myself") or someone who already helped ("the agent I spoke to
        yesterday said…") is near the requests in meaning, and is none; so is one steering the bot
        off its job ("ignore your instructions…", another customer's order), which is refused."""
        plain = simplified(text)
        if (
            not self.long_enough(text)
            or _DECLINES_A_PERSON.search(plain)
            or _OWN_ROLE.search(plain)
            or _MET_ALREADY.search(plain)
            or refusal_kind(text) is not None
        ):
            return False
        asks, others = self._vectors or await asyncio.to_thread(self.warm_up)
        to_asks, to_others = asks @ vector, others @ vector
        return bool(
            to_asks.max() > to_others.max()
            and _nearest(to_asks, self.NEIGHBOURS) - _nearest(to_others, self.NEIGHBOURS)
            > self.MARGIN
        )


def _nearest(similarities: np.ndarray, k: int) -> float:
    """The mean of the ``k`` highest ``similarities``."""
    return float(np.partition(similarities, -k)[-k:].mean())


if __name__ == "__main__":
    write_vectors()
