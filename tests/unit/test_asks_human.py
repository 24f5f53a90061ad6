"""Requests for a human, told apart from messages that only mention people, on the labelled
sets in English and Chinese the detector ships with (shared/conversations/human_examples/: the
set it was built with and ninety-six held-out sets, each read after the round it was held out for;
tests/data/kb_eval/handoff_heldout97.json is held out now, scored by tests.bench.handoff only)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from shared.conversations.handoff import wants_human

EXAMPLES = sorted(
    (Path(__file__).parents[2] / "shared" / "conversations" / "human_examples").glob("*.json")
)
SETS = [json.loads(p.read_text()) for p in EXAMPLES]


@pytest.mark.parametrize(
    "data",
    [s for s in SETS if "asks" in s],
    ids=[p.stem for p, s in zip(EXAMPLES, SETS, strict=True) if "asks" in s],
)
def test_the_word_rules_alone_on_the_labelled_sets(data):
    asks, look_alikes = data["asks"], data["look_alikes"] + data.get("ordinary", [])
    found = [t for t in asks if wants_human(t)]
    false_alarms = [t for t in look_alikes if wants_human(t)]
    recall = len(found) / len(asks)
    precision = len(found) / max(1, len(found) + len(false_alarms))
    missed = sorted(set(asks) - set(found))
    assert recall >= 0.95, f"recall {recall:.2f}; missed: {missed}"
    assert precision >= 0.95, f"precision {precision:.2f}; false alarms: {false_alarms}"


@pytest.mark.parametrize(
    "text",
    ["I'm a human resources manager, what's your return policy?", "Do you sell human hair wigs?"],
)
def test_the_bare_word_human_is_not_a_request(text):
    assert not wants_human(text)


def test_yes_after_the_bot_offered_a_human():
    assert wants_human("yes please", bot_offered_human=True)
    assert not wants_human("yes please")


@pytest.mark.parametrize(
    "text",
    [
        "Can a human review my case?",
        "customer service agent now",
        "I keep getting the same useless answer. Person please.",
        "Is anybody real working today?",
        "客服！！",
        "我要和售后的人说话",
        "你这个机器人一直答非所问",
        "请安排工作人员处理我的问题",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "扫地机器人充电不行怎么办",  # a robot that is a product
        "你们的产品我没用过",  # 没用过: "haven't used", not "useless"
        "你们跟快递的人说一下",  # asks the bot to pass a message on
        "我已经跟客服说过了",
        "Can a person with allergies eat this?",
        "Can someone else pick up my order for me?",
    ],
)
def test_the_new_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can somebody from your company contact me? it's urgent",
        "is a live rep around?",
        "Please have a customer service representative call me back",
        "transfer me pls",
        "I'm done with this chatbot",
        "These automated answers are useless",
        "你们有人在线吗？",
        "这机器人啥也不会",
        "跟你说不明白，换人",
        "人工！人工！",
        "你们的客服人员呢",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_second_and_third_held_out_sets(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do I need to be present in person to receive the delivery?",
        "Can I send a gift to another person?",
        "Is there a person limit for the group discount?",
        "The robot vacuum doesn't understand voice commands",
        "有人买过这款吗",
        "客服，我想问一下运费",  # addresses the bot by that name
        "人",
    ],
)
def test_the_third_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could you pass this on to one of your colleagues?",
        "Who can I talk to about a wrong charge on my card?",
        "let me speak to ur boss",
        "Is any agent free right now?",
        "Honestly the automated chat is wasting my time",
        "You're not understanding me. Someone else please.",
        "someone please respond, not the bot",
        "I would like to escalate this complaint",
        "找个能做主的人来",
        "我不想和机器说话",
        "客服在不在？我有急事",
        "帮我叫一下店长",
        "有人工客服可以聊吗",
        "人呢？怎么没人回复",
        "我想咨询一下人工客服",
        "can I talk to 人工客服",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to become a reseller agent, what are the terms?",
        "Are your customer reviews from real people?",
        "Is anyone free to deliver today?",
        "Someone told me it is not the bot that decides prices",
        "can u tell me the price",
        "快递来了家里没人接收怎么办",  # nobody at home, not nobody answering
        "这个需要人工安装吗",  # installed by hand
        "店长推荐的是哪款",
    ],
)
def test_the_fifth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "能不能转给售后的同事处理一下",
        "我不想跟AI聊，找个人来",
        "我说了好几遍了，叫个人来处理",
        "人工服务 please",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd prefer speaking with someone from your staff",
        "Is an agent able to check my booking?",
        "Can I be transferred to customer service?",
        "I want to speak to the person in charge of refunds",
        "Could your sales team call me tomorrow?",
        "where are the humans?",
        "客服怎么还不回复我",
        "算了，帮我换个人",
        "真人客服 pls",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "智能客服可以开发票吗",  # the AI customer service is the bot itself
        "Where are your staff trained?",
        "I was talking to someone at your store yesterday about a lamp",
        "Is the person collecting it able to sign for me?",
        "可以换个人收货吗",
        "客服一般多久回复邮件",
    ],
)
def test_the_sixth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "hey, is anyone even there?",
        "Can you have a customer service agent get in touch with me",
        "That answer isn't helpful. Who else can I talk to?",
        "Put me through to the support department please",
        "Can somebody from customer service call me back?",
        "customer representative please",
        "I want to speak to the shop owner",
        "我要找店主",
        "现在有人工在线吗",
        "真人真人",
        "能不能找agent处理",
        "客服 pls，在线等",
        "Could I talk to 你们的负责人?",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do real people test the helmets before you sell them?",
        "安装要另收人工吗",  # labour charged, not a person
        "需要店长签字吗",  # a person who signs, not one asked for
        "Can I get the owner's manual for the kettle?",
        "This cream isn't helping my dog's skin, can I return it?",
        "Is the helpdesk team open on Sunday?",
    ],
)
def test_the_seventh_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd prefer this to be looked at by a manager",
        "can you put me in touch with your customer department",
        "Is any of your consultants available?",
        "Could a team member call me?",
        "I'm done talking to a bot, get me someone",
        "Please transfer me to returns",
        "I need this sent for a person to check",
        "让你们负责售后的同事联系我",
        "人工客服在线吗",
        "能安排专人处理吗",
        "我不和机器人聊了",
        "给我人工",
        "请 transfer 我到人工",
        "is 人工客服 available?",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I bring a support person to the appointment?",  # someone the visitor brings
        "Are returns handled by your team or by the courier?",
        "Can you forward the invoice to billing?",
        "有专人负责安装吗",
    ],
)
def test_the_eighth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I chat with one of your experts?",
        "let me talk to your supervsior",  # a slip in the word for the person
        "can u get me a humna",
        "Please let someone from support know I called",
        "Can you ask a staff member to call me?",
        "I'd like a call back from your service people",
        "Operator, please.",
        "找个 manager 处理",
        "真人客服 help me please，订单有问题",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Did a real person approve my refund?",
        "Does somebody need to be home to receive the fridge?",
        "这个路由器需要人工配置吗",  # work by hand
        "let us know if the size is wrong",
    ],
)
def test_the_ninth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there an actual support rep I can message?",
        "is there a customer service agent around",
        "Is customer service available to chat right now?",
        "is your support team online at the moment",
        "这问题你解决不了，帮我叫个人",
        "客服客服",
        "人工，人工！",
        "I'm asking for a human agent for the third time",
        "i asked for a supervisor an hour ago",
        "Could I have the phone number of a person I can speak to?",
        "I just want someone from your team I can talk to",
        "I've had enough of talking to a bot",
        "fed up with chatting to this machine",
        "麻烦人工帮我看下订单",
        "麻烦售后处理一下退款",
        "请问 customer service 在线吗",
        "客服现在在线吗",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_tenth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Are real people answering the phone line on weekends?",
        "Do actual humans work at the warehouse on Sundays?",
        "Is customer service available on Sundays?",
        "你们的客服是真人吗",
        "讲解员是真人吗",
        "主播是不是真人？",
        "客服周末在吗",  # opening hours
        "customer service 电话多少",
        "麻烦客服帮我查一下物流",  # visitors call the bot 客服 too
        "I asked for a manager's approval last week",
    ],
)
def test_the_tenth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd rather deal with a human on this one",
        "Can somebody from your team give me a callback?",
        "could a staff member give me a ring",
        "I need to talk to the owner of the store",
        "Hand this over to a colleague who can issue the refund",
        "please, a person. not a robot",
        "Stop answering with articles and let an employee take over",
        "let a manager handle this",
        "客服哥哥在不在",
        "客服美女在吗",
        "有人工可以帮我看看吗",
        "有客服能帮我查一下吗",
        "Is there 人工客服?",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eleventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do I need a person present for installation?",
        "does anyone have to be home during the repair",
        "I want my colleague to collect it",
        "有人可以帮我代收快递吗",  # someone to take in a parcel, not a person to talk to
        "How do you deal with humidity in the warehouse?",
        "Who is the owner of the store?",
    ],
)
def test_the_eleventh_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    ("traditional", "asks"),
    [
        ("轉人工", True),
        ("叫你們經理來", True),
        ("有沒有工作人員可以幫我處理", True),
        ("我想跟客服人員說話", True),
        ("這個機器人聽不懂", True),
        ("客服在嗎？", True),
        ("人工智慧翻譯機怎麼用", False),  # Taiwan's word for AI
        ("客服電話是幾號", False),
        ("掃地機器人壞了", False),
        ("人工草皮一平方多少錢", False),
    ],
)
def test_traditional_chinese_is_read_as_simplified(traditional, asks):
    assert wants_human(traditional) is asks


@pytest.mark.parametrize(
    "text",
    [
        "Is it possible to have a human look over my order?",
        "I've been going round in circles with you. Who's in charge?",
        "I wish to lodge a complaint with a manager",
        "Could a rep phone me about the warranty claim?",
        "我要和你们老板谈",
        "人工客服跑哪去了",
        "客服跑哪儿了？",
        "有冇人可以幫我？",  # written Cantonese: 有冇 is 有没有
        "可唔可以搵人工客服？",
        "唔該幫我轉人工",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twelfth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "My mother is a real person, not a bot, so why was her account flagged?",
        "she is a real person",
        "Who's in charge of the Shanghai store?",
        "I have a complaint about your staff",
        "你哋有冇人工智能產品？",
        "職員係咪會講英文？",
    ],
)
def test_the_twelfth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "你哋個機械人答非所問，搵個職員嚟",  # 機械人: Hong Kong's word for the robot
        "機械人唔得，我要搵真人",
        "找个职员来处理",
        "I'd like to talk this through with a member of your team",
        "can a member of staff call me",
        "This chatbot keeps misunderstanding me",
        "the bot keeps getting it wrong",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirteenth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "職員係咪會講英文？",
        "the bot misunderstood my name, is that a problem for delivery?",
        "I misunderstood the sizing chart",
        "机械人玩具有电池吗",
    ],
)
def test_the_thirteenth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could a person please just reply to my email?",  # an adverb before what they are to do
        "can somebody from sales kindly call me back",
        "It would help if someone from your team could look into it",
        "I was hoping a manager could check this",
        "Please put me in touch with your billing team",
        "How do I get in touch with a real person?",
        "connect me with whoever is in charge of deliveries",
        "客服什么时候有空？",  # when the person is free for the visitor
        "经理有时间跟我聊吗",
        "有没有 human 可以帮我",  # an English person word after a space
        "有 agent 吗",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fourteenth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I wonder if a courier could deliver on Sunday",
        "Can someone sign for the parcel if I'm out?",
        "How do I get in touch with the courier?",
        "Can I be in touch with the manufacturer directly?",
        "你们什么时候有空送货",
        "师傅有空的话能周六上门吗",
    ],
)
def test_the_fourteenth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could the practice nurse ring me this afternoon?",  # a person named by their trade
        "can your technician get back to me about the fault",
        "I'd like to talk it over with someone real",
        "zhuan ren gong",  # 转人工 typed in pinyin
        "rengong kefu pls",
        "智能客服一点用都没有",
        "这个机器人真是毫无用处",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifteenth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could the planner email me the quote?",  # a thing sent, not a person asked for
        "Will a technician install the new router?",
        "rengong fei duoshao",  # labour charged, in pinyin
        "这个功能一点用都没有吗",  # the message asks about a feature, gives up on nothing
    ],
)
def test_the_fifteenth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "please ask the duty manager to call me back",  # the manager of a place or a desk
        "I'd like to speak to someone in your customer services team",
        "is there a nice lady I could talk to about my pension order",
        "Live agent required, account locked",
        "your chatbot keeps giving me the same canned answers from the bot",
        "掌柜的在不在",  # Taobao's words for the shopkeeper and the shop's staff
        "店小二在吗",
        "请你们售后人员跟我联系",
        "人工客服快出来",
        "要求人工客服介入",
        "自动客服太笨了",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixteenth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "The store manager approved my refund last week",
        "I want a man's watch with a leather strap",
        "需要技术人员上门吗",
        "要求退款需要什么材料",
    ],
)
def test_the_sixteenth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "this assistant is not understanding my question at all",  # the bot not understanding
        "the chatbot is not listening to what I say",
        "I want to speak with a humane",  # a slip, where a person is talked to
        "客服人员请回复",
        "这智能助手啥也不懂",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventeenth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "the robot vacuum is not understanding the room map",  # a product, not the bot
        "My son is not understanding the maths app, is there a guide?",
        "Do you sell humane mouse traps?",
        "客服回复说三天到账",  # what the person said, reported
    ],
)
def test_the_seventeenth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "could I get a callback from one of your team this afternoon",
        "自动回复没用，快来个人",
        "我要找你们老板",
        "老板在不在",
        "I don't want a bot, I need a human",  # the bot declined, a person asked for
        "需不需要转人工？我要人工",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighteenth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't need a human, the answer was fine",  # a person declined
        "no need for an agent, sorted it myself",
        "no need to transfer me, thanks",
        "不用转人工了，谢谢",
        "不需要客服，我自己会看",
        "我下午来个人取货",  # someone coming, not sent for
        "老板，这个多少钱",  # the shopkeeper addressed, not asked for
    ],
)
def test_the_eighteenth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        # a slip in the word for a person, mended however it is made (not a list of slips)
        "pls get me a supervisr",
        "can I talk to a represntative",
        "agnt please",
        "custumer sevrice now",
        "转人公",  # a pinyin keyboard's slip: 人公 sounds as 人工
        "我要找客fu",  # a syllable left in Latin letters
        # a person to handle it, named by what they do
        "Pass me over to whoever deals with returns",
        "let a person take it from here",
        "You keep repeating yourself, I want to speak to a real one",
        "are any of your team around?",
        "Someone from your team, please.",
        "可以打个电话给你们客服吗",
        "叫当班经理来",
        "能不能换成人工客服",
        "我老婆想跟你们客服说",
        "我想和你们管退款的人说",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_nineteenth_and_twentieth_held_out_sets(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need more stuff for the party, do you sell balloons?",  # "stuff" is a word: not "staff"
        "我们一起克服困难",  # 克服 is a word: not 客服
        "I need a person-sized sleeping bag",
        "What's the operator charge for calling abroad?",
        "Are you a licensed tour operator?",
        "你们客服电话是多少",
    ],
)
def test_the_twentieth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can I have a quick word with someone from billing?",
        "any chance of speaking to a person?",
        "I'd like to get help from an actual person",
        "Is there somebody on your team who can look into this?",
        "有在线的客服吗",
        "我想同你哋嘅客服傾",  # Cantonese: 同 … 倾, to chat with
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I got help from a friend to set it up",
        "Is there someone at home who can sign for it?",
        "I'm tired of talking about refunds",
        "有在线客服电话吗",
    ],
)
def test_the_twenty_first_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd like to go over it with a human",
        "could one of your staff get back to me?",
        "I want to discuss my refund with a manager",
        "is a person reading this chat?",
        "Do you have someone on the billing side I could speak to?",
        "真人客服在哪儿能找到",
        "我想跟你们店长当面谈",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_second_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I discussed it with your agent yesterday",
        "Is the person reading the meter coming today?",
        "I talked it over with my wife, we will take the blue one",
        "客服电话在哪里找",
    ],
)
def test_the_twenty_second_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is an employee able to look at my order?",
        "Any staff around?",
        "店里有人能接个电话吗",
        "让你们的同事帮我看看",  # the shop's colleague still is one
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I am not asking for a person, only the tracking number",
        "I want a job as a customer service representative",
        "你们在招聘人工客服吗",
        "叫同事帮我取快递可以吗",  # the visitor's own colleague
    ],
)
def test_the_twenty_third_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


def test_asking_the_bot_whether_it_is_a_person_then_for_one_is_a_request():
    assert wants_human("你是真人吗？我要真人")


def test_whether_someone_else_is_a_real_person_is_not_a_request():
    assert not wants_human("Is the tour guide a real person or an audio guide?")
    assert wants_human("Are you a real person? I want a real person")


async def test_a_request_the_rules_miss_is_caught_by_its_nearest_examples():
    from shared.conversations.asks_human import NearestRequests
    from shared.kb.embed import LocalEmbedder

    embedder = LocalEmbedder()
    nearest = NearestRequests.for_embedder(embedder)
    assert nearest is not None

    async def is_request(text: str) -> bool:
        return await nearest.is_request(text, embedder.questions([text])[0])

    new_kind = "I'd feel better if an employee of yours dealt with this"
    assert not wants_human(new_kind)  # no word rule has this one (0.048 over the 0.02 margin)
    assert await is_request(new_kind)
    for ordinary in [
        "How do I change my delivery address?",
        "that's not what I meant",
        "退货要自己付运费吗",
        "my order number is 20231188",
    ]:
        assert not await is_request(ordinary), ordinary
    # A word or two is too little to be near anything: those are the rules' alone.
    assert not await is_request("hmm ok")


def _unit(*weights: float) -> np.ndarray:
    v = np.array(weights, dtype=np.float32)
    return v / np.linalg.norm(v)


async def test_one_request_on_the_same_topic_does_not_make_a_question_a_request():
    """The check reads the five nearest requests against the five nearest non-requests: one
    request about the same thing ("a person on the line about my meter reading") no longer makes
    "How do I submit a meter reading?" one — five near requests still do. Vectors made by hand:
    no embedder, the same on every CPU."""
    from shared.conversations.asks_human import NearestRequests

    on_topic_request, other_request = _unit(3, 1, 0), _unit(0, 1, 0)
    one_near = np.stack([on_topic_request] + [other_request] * 4)
    five_near = np.stack([on_topic_request] * 5)
    others = np.stack([_unit(2, 0, 1)] * 5)  # questions on the topic
    message = _unit(3, 0.6, 0.3)  # a question on the topic, nearest the one request
    nearest = NearestRequests(lambda texts: None)
    text = "How do I submit a meter reading?"
    nearest._vectors = (one_near, others)
    assert float((one_near @ message).max() - (others @ message).max()) > NearestRequests.MARGIN
    assert not await nearest.is_request(text, message)
    nearest._vectors = (five_near, others)
    assert await nearest.is_request(text, message)


async def test_a_labelled_non_request_is_never_a_request_by_nearness():
    """However near five requests are, a message whose one nearest example is a non-request
    (a labelled one is nearest to itself) is not one: "my number is +44 7700 900123" sits among
    requests that give a number to call."""
    from shared.conversations.asks_human import NearestRequests, examples, shipped_vectors

    nearest = NearestRequests(lambda texts: None)
    nearest._vectors = shipped_vectors()
    _, others = examples()
    vectors = nearest._vectors[1].astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    taken = [t for t, v in zip(others, vectors, strict=True) if await nearest.is_request(t, v)]
    assert taken == []


def test_another_embedders_similarities_are_not_read_on_this_scale():
    from shared.conversations.asks_human import NearestRequests
    from shared.kb.embed import ServerEmbedder

    assert NearestRequests.for_embedder(ServerEmbedder(lambda texts: None)) is None
    assert NearestRequests.for_embedder(None) is None


def test_the_shipped_vectors_are_the_examples_and_the_embedders():
    """Edited examples need `python -m shared.conversations.asks_human` (else every process
    would embed them at start); the stored vectors must be what the embedder makes."""
    import numpy as np

    from shared.conversations.asks_human import examples, shipped_vectors
    from shared.kb.embed import LocalEmbedder

    shipped = shipped_vectors()
    assert shipped is not None, "examples changed: run python -m shared.conversations.asks_human"
    asks, others = examples()
    made = LocalEmbedder().questions([asks[0], asks[-1], others[0], others[-1]])
    stored = np.vstack([shipped[0][0], shipped[0][-1], shipped[1][0], shipped[1][-1]])
    assert np.allclose(made, stored, atol=2e-3)


@pytest.mark.parametrize(
    "text",
    [
        "ok this is pointless; escalate now",
        "Can the night manager give me a call?",
        "Please have a customer service officer email me",
        "looking for a real person to talk to",
        "Could you route my case to a specialist?",
        "请专员跟进一下",
        "想要人手跟进，唔該",  # 人手 (Cantonese): by a person
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there an employee discount for teachers?",
        "Where is the staff entrance for deliveries?",
        "I'm looking for a human hair extension in blonde",
        "你们人手不够所以发货慢吗",
    ],
)
def test_the_twenty_fourth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there anyone who can deliver on Sunday?",
        "Is there anybody who can install it for me on Saturday?",
    ],
)
def test_someone_asked_for_a_service_the_shop_offers_is_no_request_for_a_person(text):
    assert not wants_human(text)
    # … while someone asked to handle the visitor's case is one
    assert wants_human("Is there anyone who can check my order?")


@pytest.mark.parametrize(
    "text",
    [
        "Could a staff member verify my delivery address?",
        "Who can I really speak to about a late refund?",
        "can i talk to a humen please",  # Humen is a town; typed in lower case, a slip
        "找一下你们店里管事的人",
        "让售后人员联系我",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    ["人工关节手术后多久能运动", "人工晶体的价格是多少", "Can I verify my email address?"],
)
def test_the_twenty_fifth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could you connect me with billing?",
        "live help needed please",
        "I'd like to talk to the owner about my order",
        "Can you arrange for an engineer to call me tomorrow?",
        "Would a manager be able to look at my refund?",
        "我想跟你们经理反馈一下这个问题",
        "这个问题还是得客服来处理",
        "帮我转到售后部门",
        "麻烦尽快联系我，订单有问题",
        "please call me back",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Where is the owner's manual for the blender?",
        "Does the keyboard connect with Bluetooth?",
        "Do I have to arrange for a technician to install it?",
        "我已经跟客服确认过了，只想知道发货时间",
        "需要人工来安装吗",  # labour, not a person to talk to
        "I work in customer service too, so how long do refunds take?",
        # the visitor's own job: "a customer service manager" is not one asked for
        "I need to know, as a customer service manager myself, how your refunds work",
        "I want to know, I'm a call centre operator, do you ship to Ireland?",
    ],
)
def test_the_twenty_sixth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


async def test_a_person_declined_the_visitors_own_job_or_someone_met_is_no_request_however_near():
    from shared.conversations.asks_human import NearestRequests
    from shared.kb.embed import LocalEmbedder

    embedder = LocalEmbedder()
    nearest = NearestRequests.for_embedder(embedder)
    # As near as can be: each message is read with a labelled request's own vector.
    request = "I want to talk to a human"  # in human_examples/built_with.json
    near = embedder.questions([request])[0]
    assert await nearest.is_request(request, near)
    for text in [
        "I really do not need a human agent for this one",
        "I'm in customer support myself, handling calls from upset customers every day",
        "我是客服主管，每天负责处理客户投诉，想问下你们的企业采购",
        # someone who already helped the visitor
        "The agent who helped me last Tuesday was great, do you have a feedback form?",
        "I chatted with a rep earlier and he mentioned a bundle deal",
        "之前跟你们售后沟通过，说可以换货，换货地址是哪里",
        # the visitor's own company's people
        "我们公司的经理想订十个位子，有包间吗",
    ]:
        assert not wants_human(text)
        assert not await nearest.is_request(text, near), text
    # … while the same visitor asking for a person is asked for one
    assert wants_human("I'm a support agent myself, but I need to speak to your manager")
    assert wants_human("I spoke to Anna yesterday, but I need a person again")


@pytest.mark.parametrize(
    "text",
    [
        "Could the duty manager spare me a few minutes?",
        "are any customer support agents available now?",
        "Could a person please read my complaint",
        "anybody alive on the other end?",
        "有没有值班的客服",
        "我想跟你们经理见个面",
        "please let a colleague of yours handle this",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_seventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can you send the invoice to my agent's email?",  # a person's address, not the person
        "Please send a copy to my manager",  # the visitor's own manager
        "Can your staff read Braille labels?",  # reading, but not the visitor's message
    ],
)
def test_the_twenty_seventh_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could somebody more senior look at my complaint?",
        "Could the store call me back this afternoon?",
        "just get me a real one",
        "Can the refunds team check why I was charged twice?",
        "找你们负责退款的人",
        "我要speak to a human",  # no space between the Chinese and the English
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "No need to get an agent involved, I found the receipt",
        "Can the store deliver on Sunday?",
        "Is the agent licence per user?",
    ],
)
def test_the_twenty_eighth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please raise my complaint with management",
        "I'd like this taken to your superiors",
        "Is there anybody who can authorise a refund?",
        "Could the warehouse manager ring me back?",
        "Could a claims officer email me about it?",
        "Operator please - the tracking link is broken",
        "请物流部门联系我",
        "唔該搵返個客服幫我睇下",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_twenty_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could you forward my parcel to your head office?",  # post, not a person
        "Is your head office open to visitors?",
        "Can the password manager app store card numbers?",  # a manager that is a thing
        "我不要人工，帮我查下物流就行",  # a person declined
        "有真人试穿的视频吗",  # 真人 describing a video
    ],
)
def test_the_twenty_ninth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can we straighten this out with someone from accounts?",
        "I'd prefer to work it out with a staff member",
        "anybody on shift? my order is wrong",
        "Is anyone working right now? I need to change my order",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirtieth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "这台空调包售后吗",  # the after-sales service a product comes with
        "你们有没有售后服务？",
        "Are any shops working on bank holidays?",
    ],
)
def test_the_thirtieth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


def test_after_sales_people_are_still_asked_for():
    assert wants_human("有售后可以帮我看看吗")
    assert wants_human("有没有售后服务人员")
    assert wants_human("转售后")


@pytest.mark.parametrize(
    "text",
    [
        "Could I speak with billing about a double charge?",
        "I just want to chat to tech support",
        "Put the night officer on please",
        "有没有会修这个的人能帮我看看",
        "我要和技术主管通个电话",
        "人工客服要怎么接通",
        "叫位同事过来帮我",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "How many call centre agents do you employ?",  # call centres counted, not called
        "Where can I find the support page for the router?",
        "让同事帮我下单",  # the visitor's own colleague
    ],
)
def test_the_thirty_first_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please involve a supervisor, this has gone on for weeks",
        "Who is the right person to talk to about a damaged sofa?",
        "can you pass me back to billing",
        "I'm requesting an escalation on ticket 4410",
        "Complaint to a more senior manager please",
        "Can you get one of the technicians to call me?",
        "Is it possible someone could check my refund today?",
        "我想跟商家直接沟通",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_second_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "What is your escalation policy for lost parcels?",
        "Is there a way to loop the video on the smart frame?",
        "Do you sell a ping pong table for staff rooms?",
        "Can I pass the gift card to a friend?",
        "店家推荐的尺码准吗",  # the shop's recommendation, not the shop talked to
    ],
)
def test_the_thirty_second_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could a member of the warranty team call me back?",
        "Is a member of the sales team around?",
        "Can a tutor get in touch about the exam date?",
        "Could the plumber ring me before he comes?",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "有没有真人直播课",  # 真人 describing a lesson
        "Does the teacher get in touch with parents?",  # not the visitor
        "Is the coach trip refundable?",
    ],
)
def test_the_thirty_third_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm keen on talking to a manager about this",
        "Can you connect me to the front desk?",
        "Don't transfer me to the bot again, I want a human",  # the bot declined, not a person
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Please don't pass me on to anyone, just tell me the opening hours",
        "不用给我找客服，告诉我运费就行",
        "Don't put it in a gift box, is the receipt included?",
    ],
)
def test_the_thirty_fourth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Who at your head office can I speak to?",
        "Could the front desk ring me when the room is ready?",
        "Can a team leader have a look at this refund?",
        "有没有专门处理投诉的人",  # 专门…的人: someone whose job it is
        "我想同你哋啲同事傾下",
        "人工客服喺邊度？",  # Cantonese "where"
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "我们公司的经理想订十个位子",  # the visitor's own company's manager
        "Our manager wants the invoice in euros",
        "Can you have a look at my order number?",  # the bot asked, not a person
    ],
)
def test_the_thirty_fifth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


def test_cantonese_where_reads_as_mandarin():
    from shared.kb.tokenize import simplified

    assert simplified("間舖喺邊度？") == "间铺在哪里？"
    assert simplified("真人客服喺邊？") == "真人客服在哪？"


@pytest.mark.parametrize(
    "text",
    [
        "Could a returns rep help me with the label?",
        "hi, anybody there at the moment? my parcel is lost",
        "I have an issue only a person can help with",
        "叫你们管事的来",
        "我想搵老細傾下",
        "能不能跟你们经理通个电话",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do you hire real people to answer reviews?",  # people employed, not asked for
        "Is it true only a manager can approve refunds?",  # a rule asked about
        "可不可以跟朋友一起来",
    ],
)
def test_the_thirty_sixth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "人工客服在哪里呀，等了好久",
        "Could you put me in contact with the claims department?",
        "Could a person who works for you confirm the delivery slot?",
        "找个人出来解释一下",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_seventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there a staff member price on the bikes?",  # a price kept for staff
        "Can you confirm my booking?",  # the bot asked
    ],
)
def test_the_thirty_seventh_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "could someone from your team take this on please",
        "真人客服从哪儿接通？",
        "Representative, my refund never arrived",
        "Agent: I was charged twice",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do actual people moderate the comments on your blog?",  # a practice asked about
        "Can I take this one back to the shop for a refund?",  # the visitor takes it
        "Operator error, what does that code mean?",  # a message on a machine
    ],
)
def test_the_thirty_eighth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Who should I ring about my missing parcel?",
        "Can the shop owner email me back today?",
        "把店长给我叫出来",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_thirty_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Who do I call to fix a burst pipe?",  # a trade wanted, not the shop's person
        "Can the previous owner transfer the warranty to me?",  # someone else's owner
        "把快递员叫过来取件要加钱吗",  # not the shop's person
    ],
)
def test_the_thirty_ninth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize("text", ["可唔可以幫我接駁客服？", "请帮我接驳一下人工"])
def test_the_ways_of_asking_it_learnt_from_the_fortieth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize("text", ["接驳巴士几点开？", "这条接驳线有多长"])
def test_the_fortieth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can i tlak to a person",  # a slip in the verb
        "Can I chat with the boss about this?",
        "Could you give me your supervisor's direct number?",
        "I want whoever looks after wholesale orders",
        "可唔可以幫我轉駁客服",
        "给我个 agent",
        "I need 一位客服 to check my order",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm the boss of a small firm, do you do trade accounts?",  # the visitor's own job
        "What's your customer service email?",  # a way to reach the service, as a phone number
        "My manager's email is on the invoice",  # the visitor's own
        "Is the manager's line of knives on sale?",  # a product line
        "Whoever is in charge of deliveries is doing a great job",
        "I will speek at the conference",  # a slip, but no one asked for
    ],
)
def test_the_forty_first_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "It would help if a member of your staff could email me the invoice",
        "Please have your customer relations team contact me",
        "请你们的技术人员过来帮我装一下",
        "我想和 sales team 聊一下价格",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_second_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Does the wardrobe need two people to carry it?",  # people counted
        "Do I need three players for this game?",
        "唔使搵店長，我想知幾點開門",  # a manager declined, in Cantonese
        "不用找经理，运费多少？",
    ],
)
def test_the_forty_second_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could the head of customer service call me?",
        "Is anyone in the shop today who could check my order?",
        "这个问题还是得有客服来跟进",
        "可以把你们经理的联系方式给我吗",
        "让技术支持今天联系我",
        "找个能拍板的出来",
        "麻烦客服打个电话",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can the head of the bed be raised?",  # a part of a thing
        "Is anyone in the office on Saturdays?",  # opening hours asked about
        "我们店长的电话换了，发票上要改吗",  # the visitor's own manager
        "客服打个电话给我说要补发，什么时候发？",  # a call that came, reported
        "这个需要有人工来安装吗",  # fitting, not a person to talk to
    ],
)
def test_the_forty_third_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could someone run through the payment plans with me?",
        "Can a person talk me through the returns form?",
        "Would my personal shopper be able to call me tomorrow?",
        "Can you ask the duty engineer to ring me back?",
        "Operator please I have a billing problem",
        "转一下话务员",
        "能不能安排VIP客服跟进",
        "叫个人问问发票的事",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could my manager get a VAT invoice for this?",  # the visitor's own manager
        "Does the parcel go through customs with the rest?",  # a parcel, not a person
        "你们招接线员吗",  # people hired
        "找个人代收快递可以吗",  # someone to take in a parcel
        "VIP会员有专属折扣吗",  # a benefit, not a person
    ],
)
def test_the_forty_fourth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is anybody behind this chat?",
        "I'd like to complain to whoever runs the branch",
        "Could the person who looks after trade accounts call me?",
        "这件事我想直接投诉到你们店长那里",
        "技术的人在吗",
        "请你们的人联系我一下",
        "客服现在在线上吗",
        "could 客服 check my refund",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I talk about how the app manages my data?",  # "manages" is a word, not a slip of manager
        "我已经投诉给客服了，还在等结果",  # a complaint made, reported
        "我们的人已经到店里取货了",  # the visitor's own people
        "Are there any people in the photos on this listing?",  # people in a picture
        "Can 客服 hours be longer on Sundays?",  # opening hours asked about
    ],
)
def test_the_forty_fifth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "anyone on here?",
        "Who's the store manager this week? I'd like to speak with her",
        "put me on to your billing lead",
        "我要找你们这边管发票的",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "My manager has to approve it, I need to speak to her first",  # the visitor's own
        "Can you get me a sales lead list?",  # a customer-to-be, not a person of the shop's
        "我是负责采购的",  # the visitor's own job
        "找个会修的店还是寄回去？",  # a shop, not a person asked for
    ],
)
def test_the_forty_sixth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "a quick word with whoever runs the shop please",
        "It would be easier to show it to a human over video",
        "Can I talk to your wedding planner?",
        "Can we set up a phone call with your installer?",
        "Is the store manager free right now?",
        "让你们的老师傅跟我讲一下怎么装",
        "麻烦请工程师帮我检查一下",
        "could anyone 帮忙 look at my refund",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_seventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can you explain this to my manager in an email?",  # the visitor's own
        "需要请技术员来检查吗",  # whether a visit is needed
        "Is the manager available on Saturdays?",  # hours asked about
        "Is the owner's manual in the box?",  # a thing
    ],
)
def test_the_forty_seventh_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "fed up of bots, a person please",
        "Could I get a video consultation with one of your dieticians?",
        "I'd like to talk through pricing with your trade manager",
        "Can you get whoever handled my return to call me?",
        "Is your returns team contactable today?",
        "Please put me through to a Welsh speaking advisor",
        "我想跟售后视频沟通一下",
        "可以跟客服语音聊吗",
        "请帮我联系客户经理",
        "客服GG在不在",
        "人工 assistance needed urgently",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Book a video appointment with the vet",  # a booking, not a person to talk to now
        "send the invoice to your accounts manager",  # a document sent
        "客服电话多少",  # a way to reach the service, asked for
        "Is live chat staffed on Sundays?",  # "staffed" is a word, not a slip of staff
        "Is the 人工 turf pet friendly?",  # 人工 as a thing's, beside English words
    ],
)
def test_the_forty_eighth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there a wedding coordinator we could talk to?",
        "Who looks after deliveries? I'd like to speak with them",
        "Could I speak to a vet nurse?",
        "想找回之前帮我处理的客服",
        "店长, can you call me back",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_forty_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there a forum I can talk to other users on?",  # other users, not the shop's people
        "Should I speak with a lawyer first?",  # advice asked for
        "Is there someone I could call to fix my boiler?",  # a trade wanted
        "怎么找回密码",  # a password recovered
    ],
)
def test_the_forty_ninth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I am after an agent to help with a return",
        "Could somebody be available for a chat tomorrow?",
        "Could the florist call me about the wedding order?",
        "Requesting live assistance for a refund",
        "Can anyone there speak Welsh?",
        "经理今天在不在",
        "请一位工程师来帮我检查",
        "ring me back asap, 很急",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fiftieth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd prefer not to talk to anyone, just send the form",  # a person declined
        "Does anyone speak highly of this blender?",  # no language
        "I'm after a person-sized bean bag",  # a thing's size
        "Can the designer label be removed?",  # a thing
    ],
)
def test_the_fiftieth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'd be happier speaking with a person",
        "Somebody from billing must check this charge",
        "Can we have a longer phone conversation with a staff member?",
        "Is the duty nurse free for a quick question?",
        "请导购帮我挑一下尺码",
        "帮我转去售后",
        "店长可以打电话给我吗",
        "could 你们的经理 email me",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is the vet available on Sundays?",  # opening hours
        "请问你们的店员几点下班",  # 请问 is "may I ask": opening hours
        "客服打给我说要补发",  # a call that came, reported
        "Someone from your team has to collect the old sofa?",  # a collection, not a person to talk to
    ],
)
def test_the_fifty_first_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I keep trying to get through to billing",
        "Is a duty manager around to help?",
        "Let me talk to your design team about a custom order",
        "Could a human rep please look at my refund?",
        "有没有会讲粤语的客服",
        "好复杂，麻烦转接一下",
        "switch 我到人工",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_second_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is my email getting through to your team?",  # a message that arrives
        "Could a human hair wig be dyed?",  # a thing
        "帮我转账给商家",  # money sent
        "switch 人工智能模式",  # the product's mode
        "有没有好用的人体工学椅",  # a thing
    ],
)
def test_the_fifty_second_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could we have a real person review the charge?",
        "Can an actual person review my return?",
        "自动回复处理不了我的问题",
        "我想找人",
        "请帮我转总台",
        "服务台在吗",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Do real people review my application?",  # how the shop works
        "前台页面打不开",  # a web page's front end
        "这个问题你解决不了吗",  # a question to the bot
        "扫地机器人解决不了地毯的毛发",  # a product robot
        "我要找人帮我搬家",  # someone to help move house
    ],
)
def test_the_fifty_third_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can you send me to the right department?",
        "Please forward me to the finance dept",
        "Switch me to the lighting desk please",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Has my complaint been passed to the claims team?",  # where a complaint went
        "Can you send me the team photo?",  # a thing of the team's
        "I need the team schedule",  # a thing of the team's
    ],
)
def test_the_fifty_fourth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'm happy to wait for an agent to be free",
        "queue for a human please",
        "I need the on-duty engineer",
        "can you call 我",
        "pls 让 someone email 我",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "How long do I wait for a person to deliver the sofa?",  # a service
        "put me in the queue for the concert tickets",  # a queue for tickets
        "Is there a fee to call the on-call plumber?",  # the visitor calling
        "this is for 我 and my wife",  # 我 as "me", no person asked for
    ],
)
def test_the_fifty_fifth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "We want a technician to ring us today",
        "Could a colleague of yours check my booking?",
        "Could the person dealing with my refund call me?",
        "this is taking forever, escalate us please",
        "Is anyone from the sales team on?",
        "帮我找个业务员",
        "叫个值班护士来",
        "客服小姐在吗",
        "请转给负责我这笔退款的同事",
        "connect me 到客服",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "No need for a manager, just refund it",  # a manager declined
        "Can a colleague call you tomorrow to pay?",  # the visitor's colleague
        "Is anyone on the waiting list?",  # a list
        "要医生证明吗",  # a doctor's note
        "Do I need an engineer to install it?",  # a service
    ],
)
def test_the_fifty_sixth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could a member of staff telephone me this evening?",
        "please flag this to your returns people",
        "Is Tom from your support team around?",
        "麻烦叫你们的管理人员来",
        "我想搵財務部的人",
        "我想同你哋上司傾",
        "你们的客服人呢",
        "给我接投诉部门",
        "有没有 anyone 可以 check 我的订单",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_seventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "No need to get a supervisor involved, just refund it",  # a supervisor declined
        "我不想跟人说话，发邮件就行",  # talking to a person declined
        "Is delivery from the warehouse available?",  # a capitalised word, no name
        "上司送的礼物可以退吗",  # a gift from the visitor's boss
        "你们的客服人都很好",  # praise
    ],
)
def test_the_fifty_seventh_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could somebody from the front office call me?",
        "Is a nurse around to advise on dosage?",
        "Could we schedule a callback with your mortgage advisor?",
        "Can I chat with the design team about a custom piece?",
        "麻烦转介财务部",
        "想和人工 chat 一下",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I don't want to bother your team, where do I post the return?",  # a person declined
        "no need to bother anyone, I found it",  # a person declined
        "Is a vet available on Sundays?",  # opening hours
        "和朋友 chat 一下",  # a friend, not the shop's person
    ],
)
def test_the_fifty_eighth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "We require help from one of your staff about the invoice",
        "Is the duty manager on now?",
        "My situation needs a supervisor",
        "Could your online team be able to look at my order?",
        "叫个说了算的人出来",
        "帮我联系门店经理",
        "could 你们 team email 我",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_fifty_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is the manager on holiday?",  # away, not on duty
        "My dog needs a person to walk him",  # not the visitor's matter for the shop
        "I need help from the manual",  # no person
        "can 你们 deliver tomorrow",  # 你们 as "your", no person
    ],
)
def test_the_fifty_ninth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Ring me please: 0161 496 0000",
        "Is there a particular person I could email about this?",
        "Requesting an engineer callback for tomorrow",
        "我要求和店主通电话",
        "帮我找个人核实一下这笔扣款",
        "is there somebody 可以帮我 refund the deposit",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixtieth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I send the parcel to your returns team?",  # a parcel sent, no person asked for
        "有没有 staff discount",  # a thing kept for staff
        "Does the bed frame need a person to assemble?",  # what it takes to build it
        "Could my son chat with the football team at the signing?",  # players, not the shop's team
    ],
)
def test_the_sixtieth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Put me through to tier 2 support",
        "Could the engineer give us a call before Friday?",
        "please have your installer contact me",
        "请你们技术出来解释一下",
        "could you 转接 me to customer service",
        "I need help from real people",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Was this review written by a real person?",  # whether a review is genuine
    ],
)
def test_the_sixty_first_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could one of you guys phone me tomorrow?",
        "I'd like to speak to one of you lot",
        "All I want is to hear a real voice",
        "Can a person read it and get back to me?",
        "Have a sales rep email me the price list and call me",
        "Who's the nurse on shift? I need her",
        "客服的快出来",
        "请回电",
        "有真人在线处理吗",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_second_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "有人在线购买成功了吗",  # whether anyone bought it online
    ],
)
def test_the_sixty_second_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize("text", ["客服在么", "人工在么", "麻烦帮我呼叫人工", "呼叫客服"])
def test_the_mainlands_own_words_are_not_read_as_taiwans(text):
    """在么 had been read as 在幺, 呼叫 as 调用 (Taiwan's word for a program's call)."""
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I want to talk to the in-charge",
        "You got someone there to help?",
        "Ask your manager call me",
        "Is anyone even working here",
        "I'd like a callback from your mortgage advisor",
        "我需要一位能拍板的人",
        "小二，在不在",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Does the scissor lift need an operator?",  # what it takes to run a thing
        "需要工作人员陪同参观吗",  # a visit's rules
        "No need to put me through to a person, I found it",  # a person declined
        "I got a callback from the manager already, thanks",  # a call already had
    ],
)
def test_the_sixty_third_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could the claims handler call me back?",
        "Please ask the dispatcher to ring me",
        "I want my claims handler to contact me",
        "Can the pharmacist advise me over the phone?",
        "Could I get hold of an underwriter today?",
        "get sum1 on the phone pls",
        "Connect me to the ticket office",
        "找你们值班的",
        "你们的工程师什么时候联系我",
        "赶紧安排人跟进",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "值班的时间是几点到几点",  # when, not who
        "我们会安排人处理，你们发货就行",  # the visitor's own people
        "Can I get hold of a spare charger?",  # a thing
        "Does the claims handler need my receipts?",  # what a claim needs
    ],
)
def test_the_sixty_fourth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can a moderator check my report?",
        "Please ask the merchant to call me",
        "Someone from health and safety needs to look at this",
        "Get a technician on the line",
        "Could someone reimburse me for the damaged item?",
        "找卖家",
        "叫平台运营出来",
        "管理员在吗",
        "帮我转过去吧",
        "can 售后 team call me",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there a human vs AI mode?",  # a game's mode
        "How do I give someone access to my account?",  # something given to someone
    ],
)
def test_the_sixty_fifth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text", ["要商家同意吗", "管理员权限怎么设置", "Who is the seller of this item?"]
)
def test_the_sixty_fifth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize("text", ["請幫我呼叫客服", "可以幫我呼叫經理嗎", "麻煩呼叫人工"])
def test_a_person_called_for_in_traditional_characters_is_heard(text):
    """Taiwan's word table (read for traditional text) turns 呼叫 into 调用, a program's call."""
    assert wants_human(text)


def test_a_program_calling_the_customer_service_api_is_no_request():
    assert not wants_human("如何調用客服API")


@pytest.mark.parametrize(
    "text",
    [
        "We'd like a salesman to call us",
        "Can I speak to the vet's receptionist?",
        "Can a nurse advise me by phone?",
        "Is someone from the warehouse staff free to talk?",
        "I want a designer to walk me through the layout",
        "找个人帮我看一下",
        "想跟你们经理谈谈",
        "店长能不能回个话",
        "叫导游跟我联系",
        "请安排老师打电话给我",
        "can 销售 email me",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Should I speak with a salesperson or order online?",  # advice asked for
        "想跟团去日本",  # a tour joined, no one talked to
        "安排导游需要加钱吗",  # a service's price
    ],
)
def test_the_sixty_sixth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could a physiotherapist give me a call about my knee?",
        "Can I have an interpreter on the line, please?",
        "Kindly escalate to the night desk",
        "can a real one answer me",
        "The clinic's receptionist needs to ring me back",
        "Can one of your travel agents reschedule me?",
        "Is the matron available now?",
        "我要找教练",
        "学校那边的人来一下",
        "帮我联系学校那边的人",
        "有没有讲粤语的客服",
        "叫返个师傅同我倾",
        "请你们客户关系部的人联系我",
        "想同医生讲几句",
        "pls 叫 physio call me",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_seventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I have a technician on the line already, thanks",  # one there already
        "The technician has to call me before arriving, right?",  # what they do first
        "Do you work with travel agents?",  # a trade, not the shop's people
        "Is this a real one or a replica?",  # a thing
        "Do you escalate to the fraud team automatically?",  # a practice
        "我想找个导游",  # one hired
        "物业的人来了吗",  # whether they came
        "请联系我们的人",  # the visitor's own people
    ],
)
def test_the_sixty_seventh_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there an engineer I can email directly?",
        "I'm demanding a manager right now",
        "Please connect me with the electrician",
        "requesting callback from accounts",
        "Please forward this to whoever deals with refunds",
        "我想和化妆师沟通一下",
        "把摄影师的微信发给我",
        "负责退款的小姐姐在吗",
        "can 化妆师 call me later",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there a human verification step?",  # a step, not a person
        "有没有人参",  # ginseng
        "你们有没有人字拖",  # flip-flops
        "有冇人手推車",  # a hand cart
    ],
)
def test_the_sixty_eighth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there a number I can call?",  # a way to reach the shop
        "Will I get a callback from billing?",  # what happens next
        "Should I pass this to whoever handles returns?",  # the visitor doing it
        "我要找个摄影师",  # one hired
    ],
)
def test_the_sixty_eighth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I know there's a boss somewhere. Put him on.",
        "Put the planner on, I'll hold",
        "I want to raise this with a billing person, not a chatbot",
        "Could the tailor herself phone me?",
        "Can a solicitor from your office email me?",
        "Please have the caterer ring me",
        "anybody alive here",
        "Can the ranger keep me posted?",
        "I'd like to book a call with the funeral director",
        "整个人来看看",
        "有无人工客服",
        "求个人工",
        "有专员可以协助吗",
        "我要找律师处理",
        "能不能让店里老板直接跟我谈",
        "派个技术员跟我对接",
        "kf在不在",
        "is there somebody 会说 English",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_sixty_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize("text", ["有没有 human 校对服务", "有冇 human 翻譯"])  # a service
def test_the_sixty_ninth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "How do I put them on?",  # shoes
        "Put the kettle on, I'll be right there",
        "I want a real quote, not a template",  # no person set against the bot
        "kf94 masks in stock?",
        "有无人数限制",  # a limit
        "求购二手",  # wanted to buy
    ],
)
def test_the_sixty_ninth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "connect me to manual service",  # 转人工服务, put into English by a machine
        "Could someone from the clinic keep me updated?",
        "Can the IT guy give me a ring?",
        "我要入工",  # 入 for the 人 it looks like
        "帮我转rg",  # 人工's initials
        "请锁匠打给我",
        "找回上次帮我修车的师傅",
        "你们主管电话多少",
        "can your 保洁 ring me",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventieth_held_out_set(text):
    assert wants_human(text)


def test_the_seventieth_rounds_ways_do_not_fire_on_look_alikes():
    assert not wants_human("Is it real human proofreading or software?")  # a service


@pytest.mark.parametrize(
    "text",
    [
        "Is manual service available for my car?",
        "入工作要带什么",  # starting work
        "rg45 cable?",
        "The delivery guy was rude",
        "can your 系统 email me",  # a system sends by itself
        "之前的师傅手艺很好",  # praised, not asked for
    ],
)
def test_the_seventieth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "may I consult with a member of staff?",
        "Is there a duty engineer I can page?",
        "open a ticket with a staff member please",
        "please escalate to L3 support",
        "Can the tutor reach out to me?",
        "我想跟项目经理聊聊",
        "有木有客服",
        "滴滴客服",
        "帮我寻个客服",
        "can 门店的经理 call me",
        "can i talk to your 同事",
        "你们客服能加我微信吗",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize("text", ["No need to bring the manager in", "不用找职员"])  # declined
def test_the_seventy_first_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Should I consult with a specialist first?",  # advice asked for
        "What does L2 support cover?",
        "滴滴打车可以用吗",  # the ride-hailing company
        "销售加我微信了",  # already done
        "怎么加客服微信",  # the visitor adds them: a way to reach the shop
        "寻物启事怎么发",  # a lost-property notice
    ],
)
def test_the_seventy_first_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "anybody at all?",
        "could a tutor or a staff member look at it?",
        "Who's manning the desk today? I'd like a word",
        "Can we talk it through with an electrician first?",
        "Can the person who fitted my boiler ring me?",
        "ask the courier to phone me please",
        "I'd appreciate a ring from your accounts office",
        "are you human? if not, find me one",
        "有没有能拍板的在线",
        "外卖小哥能不能给我打个电话",
        "请帮我找客户服务主任",
        "pls 转给 your staff",
        "can we 找 a human 聊聊",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_second_held_out_set(text):
    assert wants_human(text)


def test_the_seventy_second_rounds_ways_do_not_fire_on_look_alikes():
    assert not wants_human("不用喊经理")  # declined


@pytest.mark.parametrize(
    "text",
    [
        "Can the driver call me when he's outside?",  # a delivery arranged
        "Why did I get a call from your finance team?",
        "Who's running the shop while the owner is away?",  # asked about
        "Let me talk it over with my partner",  # the visitor's own people
        "Can the person who made the cake deliver it?",
        "快递员给我打电话说放门口",  # reported
        "客户服务中心在哪里",  # a place
    ],
)
def test_the_seventy_second_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "quiero hablar con una persona",
        "je voudrais parler à quelqu'un",
        "Can I talk to a responsible at the store?",  # French and Spanish speakers' "responsable"
        "Could the gym owner call me back?",
        "Can someone at the dental clinic check my booking?",
        "Any chance the tutor could give me a ring?",
        "请联系相关人员处理",
        "帮我叫个识货的人来",
        "请帮我接线给客服",
        "叫个懂电脑的技术过来",
        "有没有上班的客服",
        "you got any 真人 here?",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is the responsible person for data protection named?",
        "Can the previous owner transfer the warranty?",
        "Is there any chance the mechanic could fix it today?",  # a service
        "有没有上班族套餐",  # a set meal for office workers
        "相关人员已经处理了",  # done already
        "Hablamos con alguien ayer y lo resolvió",  # someone already helped
    ],
)
def test_the_seventy_third_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can admissions call me?",
        "I'd like the sales office to phone me",
        "who can go through it with me?",
        "my dad said to ask for an adult from the shop",
        "Call me: 0161 496 0000. Thanks.",
        "麻烦叫一下你们导游",
        "请转院长",
        "麻烦 call 返我",
        "客房部的人可以联系我吗",
        "快叫人来",
        "can someone from 财务部 email me",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Will lost property contact me if they find it?",  # what happens next
        "Can the booking office email me the tickets?",  # something sent
        "Ask for an adult if you're under 16?",
        "My number is 07700 900461. Ta.",
        "麻烦派人来安装要多少钱",  # a visit's price
        "馆长推荐的展览",
        "失物招领处的人说找到了",  # reported
    ],
)
def test_the_seventy_fourth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "i need a hmn now",
        "Our office needs a point of contact to call us back",
        "Can the lettings agent email me?",
        "Could your billing person ring me?",
        "要搵人幫手跟進我個訂單",
        "整个经理来",
        "kefu zai bu zai",
        "律师啥时候能给我回个电话",
        "能不能叫人给我打个电话",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize("text", ["有没有真人试驾的视频", "有冇人食過呢隻"])  # a film; other buyers
def test_the_seventy_fifth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can the AI agent help me?",  # the bot
        "Is the contact form broken?",
        "The company needs a plumber to fix the leak",  # a service
        "整个客服团队都很好",  # the whole team, praised
        "师傅给我回电话说明天来",  # reported
    ],
)
def test_the_seventy_fifth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "pls send this to our CSM",
        "we need a TAM on a call tomorrow",
        "could our account executive ping me",
        "Who's my account manager? I'd like to speak with her",
        "Can the vet nurse ring my husband instead?",
        "Could a rep hop on a zoom?",
        "put me in touch with your marketing lead",
        "人！！",
        "在吗？转一下",
        "麻烦对接一下项目经理",
        "派个工程师远程协助",
        "麻煩請業務聯絡我",
        "搵個 sales 同我傾下",
        "能请一位同事协助吗",
        "谁负责退款，我想跟她聊",
        "can my 客户经理 email me",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "What does a CSM do exactly?",
        "I live in the SE, do you deliver?",  # south-east
        "Can our manager call you tomorrow?",  # the visitor's own
        "Will the app ping me when it ships?",
        "人多吗",  # how busy
        "转账",  # a bank transfer
        "对接一下接口文档",  # an API
        "安排工程师上门要多少钱",  # a visit's price
        "有没有 sales 活动",  # a sale
        "请一位同事帮我下单",  # maybe the visitor's own colleague
    ],
)
def test_the_seventy_sixth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can sb call me back pls",  # sb: somebody
        "pls arrange someone to ring me",
        "Who in billing can I talk to?",
        "Please get the invigilator to contact me",
        "麻烦安排人员回个电",
        "约个客服聊聊",
        "医生在线吗",
        "能不能给我个人工",
        "can 售后的同事 email me",
        "sb 在不在",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_seventh_held_out_set(text):
    assert wants_human(text)


def test_the_seventy_seventh_rounds_ways_do_not_fire_on_look_alikes():
    assert not wants_human("Do real people pack my order?")  # a practice


@pytest.mark.parametrize(
    "text",
    [
        "Does the council send someone to collect it?",  # a service
        "不用安排人员回电了",  # declined
        "给我个人工服务费的报价",  # a fee
        "约个时间上门安装",  # a visit booked
        "Is the examiner strict?",
        "你是sb吗",
    ],
)
def test_the_seventy_seventh_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "need an admin now, account locked",
        "yo, any moderators online?",
        "Could the seller confirm it's genuine?",
        "Is there a scout leader we can reach now?",
        "Please arrange for an agent from billing to call me",
        "Can your team give me a buzz?",
        "让财务人员直接打给我",
        "销售经理电话多少",
        "我想跟设计师视频一下",
        "有没有 mod 可以 check 我的 account",
        "ok 转 an agent, the form keeps crashing",
        "Is a real person monitoring this chat?",  # the chat watched, not a place
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is a real person monitoring the camp overnight?",  # a place watched over
        "Do real people supervise the kids at the pool?",
    ],
)
def test_the_seventy_eighth_rounds_ways_do_not_fire_on_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need a mod for Minecraft",  # a game's modification
        "Do I need an admin account to post?",
        "Any mods available for this game?",
        "Can a specialist fix the leak?",  # a service
        "Is there a beach I can reach on foot?",
        "客户经理电话多少钱一个月",  # a price
        "理赔员打给我了，说要补材料",  # a call had
        "我跟朋友视频一下就知道了",
        "pls 转 a photo to PDF",
    ],
)
def test_the_seventy_eighth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could an advisor walk me through the contract?",
        "Can your surveyor go over the report with me?",
        "Please put me in touch with a mortgage advisor",
        "让经纪人给我回个电话",
        "我想跟中介谈谈",
        "我想跟房仲约个时间聊",
        "Got it. Can you call me?",
        "Thanks for that. Please call me back.",
        "门锁坏了，请他 call 我",
        "我要 complain 给你们 supervisor",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_seventy_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can you put me in touch with a plumber near me?",  # a trade's person found
        "Put me in touch with a good lawyer, any recommendation?",
        "Could a pharmacist go over the results of the study?",
        "中介费怎么算",
        "跟房仲约时间看房要收费吗",
        "我让他 call 我了",  # done already
        "Thanks. Call me crazy but I love this product",
        "OK. Can you call me Bob from now on?",
        "Can I complain to the council about noise?",
        "我要送给 a friend",
    ],
)
def test_the_seventy_ninth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Kindly connect me to the concerned official",
        "Could someone from the ski hire desk call me?",
        "Can a window cleaner contact me?",
        "I'd like a call back from the cleaner who did my flat",
        "Who's the person to contact about a lost card?",
        "I want to talk to 负责的人",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eightieth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "有没有人工接线员",  # 人工 before a person: one asked for
        "有没有人工客服热线",
        "有没有人工服务",
    ],
)
def test_rengong_before_a_person_or_a_line_still_asks(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "有没有人工造雪",  # made by people
        "有人工瀑布吗",
        "是不是人工湖",
        "The vacuum cleaner stopped working, can it be fixed?",
        "Who's the person in this photo?",
        "Does an adult need to sign for it?",
        "Do I need a human present for the meter change?",
        "Someone from the ski hire shop said it's fine",
        "负责的人说可以退",
    ],
)
def test_the_eightieth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there an employee anywhere in this shop?",
        "Can the vet see me or call me today?",
        "Could the engineer have a look and get back to me?",
        "Need the installer's mobile number please",
        "Any sommelier around to chat?",
        "Please assign a case worker to my claim",
        "get. me. someone. real.",
        "Who's actually in charge of billing? I'd like them to email me.",
        "叫你们技术的过来",
        "换个销售跟我说",
        "老师电话多少",
        "来个活人，我真的急",
        "能不能帮我找人处理啊",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is there an employee handbook I can read?",
        "Can the plumber fix the sink and call me when done?",  # a service
        "Is the doctor's number on the prescription?",
        "Sommelier available at the tasting event?",
        "Can you assign a driver to my order?",  # a delivery
        "I need specialist equipment for climbing",
        "I. Love. This. Product.",
        "Who's actually in charge of pricing? just curious",
        "我们会找人处理的",
        "换个顾问要加钱吗",
        "不打扰客服了，谢谢",  # declined
        "下次来个人一起玩",
    ],
)
def test_the_eighty_first_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Would there be anybody I could have a quick word with?",
        "Can the salon's stylist call me?",
        "I want to discuss my bill with the accountant who did my return",
        "Whom can I speak to about a refund?",
        "Who should I contact to complain about the driver?",
        "叫负责的姑娘过来",
        "找你们 boss 出来",
        "Could a practitioner ring me?",
        "我想找那次给我剪头发的师傅",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_second_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Could the clinic's laser remove tattoos?",
        "Should I discuss the results with a doctor first?",  # advice asked for
        "I want to discuss it with my wife first",
        "Whom should I make the cheque out to?",
        "当时给我做的医生技术很好，谢谢",
        "找个姑娘一起去",
        "我的 boss 让我问一下价格",  # the visitor's own
        "真人陪玩多少钱",  # a service
        "Is the practitioner qualified?",
    ],
)
def test_the_eighty_second_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "ineedarealperson",  # words run together
        "canyoucallme",
        "is anybody answering the chat?",
        "Could one of the techs phone me?",
        "I'm looking for whoever handles refunds",
        "zhen ren ke fu 在吗",  # pinyin beside Chinese
        "给我找个管事嘞",  # Northern Mandarin's 的
        "我要跟负责发票的同事说明一下",
        "叫技术跟我说一下",
        "想找 designer 聊聊",
        "能不能跟 billing 的人 talk 一下",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "humanresources",
        "www.talktoahuman.com is that your site?",  # a run inside an address
        "passwordreset link please",
        "is anyone manning the stall at the fair on Sunday?",
        "One of the techs fixed it yesterday, thanks",
        "I'm looking for the person who handles my dog while I'm away, do you do that?",  # a service
        "好嘞，谢谢",
        "俺家的猫不吃这个",
        "技术问题怎么解决",
        "我想找 designer 的作品集",
        "跟朋友的人 talk 过了",
    ],
)
def test_the_eighty_third_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Is CS there?",  # customer service, South-East Asia's English
        "我要找CS",
        "need help from the admin now",
        "We require a manager to approve this refund",
        "Any of the stylists free to chat?",
        "蹲个人工",
        "戳一下客服",
        "能摇个人来帮忙吗",
        "请尽快联系我处理",
        "设计师什么时候联系我",
        "找个 engineer 帮忙",
        "Could you call your engineer and ask him to ring me?",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I get a CS degree online?",
        "I play CS every night",
        "CS 的工作时间是几点",
        "Do you need support from an admin to install it?",  # whether one is needed
        "Does the job require a person with a licence?",
        "Any of your designers award winning?",
        "蹲一个优惠券",
        "戳破了包装怎么办",
        "摇号什么时候开始",
        "老师会联系我吗",  # what happens next
        "找个 admin 权限",
        "can you contact the council for me?",
    ],
)
def test_the_eighty_fourth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


def test_words_run_together_are_read_only_as_a_run_of_their_own():
    assert wants_human("talktoahumanplease")
    assert not wants_human("www.talktoahuman.com?")  # an address
    assert not wants_human("x" * 60)  # no words


@pytest.mark.parametrize(
    "text",
    [
        "got someone real there?",
        "I'd like to be rung back today please",
        "Somebody from billing please ring me.",
        "Could a ranger drop me a line?",
        "Can your team shoot me an email?",
        "I'd prefer my claim dealt with personally by a supervisor",
        "谁可以帮我核实一下",
        "请票务处给我打个电话",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Have anybody real reviews of this?",
        "I'd like to be contacted by email when it ships",  # how to be told
        "I want to be called Sam, not Samuel",
        "Someone from your side called me yesterday, all good",
        "谁能告诉我运费多少",
        "谁可以处理这种材料",  # who can do a job
        "Do you need someone over 18 to sign?",  # what it takes
        "Is a real person singing on the album?",
        "Drop me at the station please",
        "Shoot me the tracking number",
    ],
)
def test_the_eighty_fifth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need man from billing, charged twice",
        "there is somebody who can check my refund?",
        "I'd like whoever handled my repair to call me back",
        "快点快点，喊个人过来",
        "寻个人来嘛，急死了",
        "让你们仓库给我回个电话",
        "店长能不能跟我电话沟通一下",
        "我要找你们的评估师当面聊",
        "想找 stylist 问问颜色",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need a man from the council to check the tree",
        "There is someone who can help you at the front desk.",  # tells
        "I think there is someone who can answer that on the forum?",
        "I want whoever buys my old bike to collect it",
        "喊个人来搬家要多少钱",  # a visit's price
        "教练能不能教我游泳",
        "客服能不能跟我说一下运费",  # the bot, called 客服
        "约设计师面谈需要预约吗",  # what it takes
        "我要找律师谈谈这个事",
        "有没有真人声音的版本",
        "Can the artist sign my print?",
    ],
)
def test_the_eighty_sixth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can I chat with an attendant? my card was charged twice",
        "Can the ski pro give me a ring about private lessons?",
        "escalate plz. the courier lost my parcel",
        "We'd like to report the technician who damaged our floor to a manager",
        "koi insaan hai? bot samajh nahi raha",
        "customer care se baat karni hai",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_seventh_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can my kid talk to the attendant at the bouncy castle?",  # someone at a place
        "Is the golf pro shop open?",
        "Can the pro plan help me with invoices?",
        "How do I report a scam to the police?",
        "I'd like to report the incident to the council",
        "koi discount hai kya?",
        "Do you need to be a registered person to bid?",  # what the visitor must be
        "I want to be a better person",
    ],
)
def test_the_eighty_seventh_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "could I chat with a hu man please",  # a person word split in two
        "Can the yoga teacher shoot me a quick DM about the class?",
        "I'd rather have one of your planners talk me through the options",
        "Could I get a callback from your night porter?",
        "客服速来，急",
        "麻烦传客服，谢谢",
        "想约你们的设计师聊聊方案",
        "能帮我找 relationship manager 吗",
        "Is a pharmacist around to answer a question about dosage?",  # "to answer" is no split word
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_eighth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Drop me a WhatsApp link for the group",
        "I'd rather have a technician fix it than send it back",
        "Can I get a callback from your system when it's ready?",
        "经理过来了",
        "传真号码是多少",
        "预约医生视频",
        "我们约了律师谈",
        "account manager 是谁",
        "He says a real person answers the phone after 6pm",
    ],
)
def test_the_eighty_eighth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "kindly schedule a call from your side today",
        "any GMs online? need a real GM, my guild bank is gone",
        "I ask that this be referred to a member of your team",
        "is there a living soul anywhere in this company?",
        "Could the salon call me about my colour appointment?",
        "请贵司安排技术人员与本人沟通",  # a formal letter's 贵司 and 本人
        "GM 在不在，账号被盗了",
        "可以 transfer 我去 CS 同事吗",
        "唔該 call 返我，套裙唔啱身",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_eighty_ninth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I need a GM part for my Chevy",
        "Can I be referred to a specialist?",  # a doctor's referral
        "Is there a brain teaser section?",
        "Will the lab call me if something is wrong?",  # what happens next
        "贵公司地址在哪",
        "医生本人做手术吗",
        "GM 是什么意思",
        "CS 同事说明天发货",
    ],
)
def test_the_eighty_ninth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can we touch base with someone from billing about this",
        "my dad says can he speak to a grown-up from your shop",  # a child writing for a parent
        "Could the club treasurer ring me about my subs?",
        "is the practice manager free to go over the bill with me?",
        "帮我对接下你们的 BD",
        "找你们的活动负责人跟我讲清楚",
        "我要找教务主任",
        "这个事我想跟店长本人谈",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninetieth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I'll touch base with my team first",
        "I want a grown-up bike for my son",
        "Can my son talk to a grown-up at the front desk?",
        "Who is the club secretary this year?",
        "is the coordinator free on Sundays?",
        "BD 说这个月有活动",
        "班主任说明天开家长会",
    ],
)
def test_the_ninetieth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I talk to a co-worker of you about my order?",  # a German speaker's Mitarbeiter
        "I'd like an adjuster to explain the decision",
        "Could the swim coach get in touch by Friday?",
        "Who's on shift at the garage? I need them to call me",
        "求求了，给个人工",
        "找你们的人沟通一下",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninety_first_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "a co-worker of mine recommended you",
        "I want a tutor to explain algebra to my son, do you offer that?",  # a service
        "I'll get in touch with the venue before Friday",
        "Do real people bake the bread?",  # what they do as a rule
        "Does the locker need someone to open it?",  # what it takes
        "给个真人好评",  # a genuine review
        "你们的人说话挺客气的",
    ],
)
def test_the_ninety_first_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "I wish to converse with the desk clerk about my booking",  # old-fashioned English
        "Is the garden centre manager around? I'd like a word",
        "can a staff member from the boat hire please ring me back",
        "I need a callback from the riding school manager today",
        "急急急，在线等客服",
        "我等个真人来说",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninety_second_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "The clerk conversed with me in French, lovely",
        "Is the garden centre manager in charge of the plants?",
        "The staff member from the boat hire was lovely",
        "I already had a callback from the riding school manager",
        "在线等，急！怎么退款",
        "等真人秀开播",
        "Please send the receipt to my accounts manager",  # a document, sent on
    ],
)
def test_the_ninety_second_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Chuck me over to someone in billing",  # Australian English
        "Could a young gentleman from your shop phone me tomorrow?",
        "Let me talk to the fumigator before he starts",
        "I'd like to have a word with the glazier about the crack",
        "We are requesting that someone from your team call us",
        "anybody really working there or is it all automatic",
        "你们经理能出来解释一下吗",
        "拉个客服进群",
        "灭虫的师父在吗",
        "can 售后 team 的 lead call 我",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninety_third_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "Can I chuck my old windows in your skip?",
        "Will a man from your company call before delivery?",  # what happens
        "My guitar tuner broke, do you sell them?",  # a device
        "I had a word with the technician yesterday",
        "Do humans pack the orders or is it automated?",
        "经理过来说了几句就走了",
        "我把客服拉黑了",
        "师父说这个功夫要练三年",
        "I want to know if somebody from your team will bring the ladder",
    ],
)
def test_the_ninety_third_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "operator please",
        "Human!",
        "representative",
        "live agent",
        "customer service pls, this is urgent",
        "Manager please, I was overcharged",
        "this ai doesn't get it, human pls",
        "i keep getting the same reply, real person pls",
    ],
)
def test_a_request_in_english_alone_is_heard_by_the_english_rules(text):
    """The Chinese rules know English person words (for "转 agent please"), but read only a message
    with Chinese in it: what they caught in English alone, the English rules catch."""
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "get a bloke from the office on the blower, the alarm won't stop",  # Cockney
        "Can I get the DJ on the phone before Saturday?",
        "找个人儿来看看",
        "有人儿在吗",
        "搵個師傅打返俾我",
        "叫 electrician 打给我",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninety_fourth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "The geezer who fitted it was spot on",
        "Can the DJ bring his own speakers?",
        "成人儿童都可以参加吗",
        "师傅打回给我了，谢谢",
        "让 siri 打给我",  # a phone's assistant
    ],
)
def test_the_ninety_fourth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "can I speak to one of youse about my booking",  # Liverpool's, Ireland's "you"
        "I want to talk with some worker of yours",
        "I want discussion with a responsible person",
        "Kindly arrange one officer to call me",
        "I'd like the balloon pilot to phone me",
        "Can my tutor get back to me today?",
        "Can I have the pilot's number?",
        "叫设计师跟我核对一下尺寸",
        "帮我找一下房东",
        "我想见一下你们经理",
        "给我打个电话好吗",
        "叫 guide 跟我说一下集合地点",
        "我要跟 sales 的 manager 谈",
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninety_fifth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "One of youse said the flight was on",
        "A worker of yours left the gate open",
        "Is a responsible adult needed for the pottery class?",
        "Will my coordinator call me?",  # what happens
        "Can my manager book on my behalf?",  # the visitor's own
        "Can I have the guide book in French?",
        "我见过你们负责人，人很好",
        "打电话给我的快递员说明天到",
        "房东直租的房子有吗",
        "叫 Uber 跟我说一下到哪了",  # a ride called
    ],
)
def test_the_ninety_fifth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "ppl pls",  # texting's people
        "Could the dock master call me about my berth?",
        "Can whoever runs the workshop have a look at my bike?",
        "Is there someone I can ask about my order?",
        "阿有客服啊",  # Nanjing's 阿有
        "有客服冇？",  # Hakka's and Cantonese's order
        "找你们店里的老板聊聊",
        "码头管理员电话多少",
        "转给维修师傅吧",
        "帮我约个理财顾问",  # a counsellor or adviser booked: someone to talk with
    ],
)
def test_the_ways_of_asking_it_learnt_from_the_ninety_sixth_held_out_set(text):
    assert wants_human(text)


@pytest.mark.parametrize(
    "text",
    [
        "people please stop parking in the bays",
        "Is there someone I can ask to deliver it?",  # a service
        "Can whoever delivers leave it at the back?",
        "阿有电池卖啊？",
        "有货冇？",
        "我转给师傅了",  # money sent
        "转给师傅的钱到了吗",
        "real person 的配音好听",  # a real person's voice
        "我约过咨询师了",
        "帮我约一下设计师",  # a trade's person booked for a job
    ],
)
def test_the_ninety_sixth_rounds_ways_stay_off_look_alikes(text):
    assert not wants_human(text)
