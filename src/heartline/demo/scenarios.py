"""What customers contact Bramble about: scenarios, their queues and their words.

A scenario holds the lines only it can say (the customer's opening, the
context that makes it personal, what the agent finds, the fix, the policy a
dismissive agent hides behind, the blame a brusque one reaches for).  Lines are
``str.format`` templates over the facts from :func:`facts` (amounts, dates,
order numbers, products, places, names), so the same scenario reads
differently every time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

BRAND = "Bramble"


@dataclass(frozen=True, slots=True)
class Scenario:
    key: str
    queue: str
    topic: str
    heavy: bool
    difficulty: float
    emotions: tuple[tuple[str, float], ...]
    openers: dict[str, tuple[str, ...]]
    cues: tuple[str, ...] = ()
    wants: tuple[str, ...] = ()
    paraphrases: tuple[str, ...] = ()
    findings: tuple[str, ...] = ()
    fixes: tuple[str, ...] = ()
    expectations: tuple[str, ...] = ()
    callbacks: tuple[str, ...] = ()
    vague: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    blames: tuple[str, ...] = ()
    followups: tuple[str, ...] = ()
    answers: tuple[str, ...] = ()
    thanks: tuple[str, ...] = ()
    fix_rate: float = 0.8
    routine_reply: tuple[str, ...] = field(default=())


# ---------------------------------------------------------------- slot values

PRODUCTS = (
    "Home Hub 3", "Mesh Booster", "Nova X phone", "Nova Lite tablet", "smart plug pack",
    "TV Box 4K", "Fibre 500 router", "Nova Buds", "smart doorbell", "Nova X2 phone",
)
DEVICES = (
    "Home Hub 3", "Mesh Booster", "TV Box 4K", "smart doorbell", "Fibre 500 router",
    "smart plug pack", "Wi-Fi extender", "TV Box Mini",
)
ROUTERS = ("Home Hub 3", "Fibre 500 router", "Home Hub 2", "Mesh Booster", "hub")
PLANS = ("Fibre 100", "Fibre 500", "Fibre Max", "SIM-only 30GB", "Unlimited Plus", "TV and Fibre")
TOWNS = (
    "Leeds", "Cardiff", "Bristol", "Glasgow", "Norwich", "Derby", "Swansea", "Belfast", "Hull",
    "Plymouth", "Aberdeen", "Leicester", "Bolton", "Exeter", "Wrexham", "Luton", "Dundee", "York",
)
STREETS = (
    "Elm Road", "Station Street", "Mill Lane", "Orchard Close", "Church View", "Victoria Terrace",
    "Hawthorn Drive", "Quarry Hill", "Marsh Lane", "Kingfisher Way", "Albert Street", "Ash Grove",
)
# (as the customer says it, the relation, subject, object, possessive, at a sentence start)
RELATIONS = (
    ("my mum", "mum", "she", "her", "her", "Mum"),
    ("my dad", "dad", "he", "him", "his", "Dad"),
    ("my husband", "husband", "he", "him", "his", "My husband"),
    ("my wife", "wife", "she", "her", "her", "My wife"),
    ("my partner", "partner", "they", "them", "their", "My partner"),
    ("my gran", "gran", "she", "her", "her", "Gran"),
    ("my brother", "brother", "he", "him", "his", "My brother"),
    ("my aunt", "aunt", "she", "her", "her", "My aunt"),
)
EVENTS = (
    "my daughter's birthday on Saturday", "my son's birthday tomorrow", "my mum's seventieth",
    "a job interview on Monday", "my sister's wedding this weekend", "our anniversary on Friday",
    "my exams next week", "Christmas at my nan's", "a work trip on Thursday",
    "my grandson's christening",
)
ENGINEER_SLOTS = (
    "Thursday between eight and one", "tomorrow morning, eight till twelve",
    "Monday afternoon, one till six", "Wednesday, first appointment of the day",
    "Saturday morning", "Friday between twelve and four",
)
FIRSTS = (
    "Jo", "Sam", "Maria", "Tom", "Aisha", "Kevin", "Laura", "Raj", "Beth", "Chidi", "Paula",
    "Marek", "Siobhan", "Hassan", "Carol", "Dylan", "Fatima", "Gordon", "Nadia", "Owen", "Ruth",
    "Imran", "Megan", "Stuart", "Anya", "Patrick", "Lucy", "Kofi", "Helen", "Jordan", "Lena",
    "Arjun", "Bridget", "Connor", "Daisy", "Eduardo", "Gemma", "Harvey", "Joy", "Kieran",
)
LASTS = (
    "Bloggs", "Okafor", "Taylor", "Nowak", "Hussain", "Price", "Baker", "McLeod", "Sharma",
    "Roberts", "Greene", "Kaminski", "Ahmed", "Morgan", "Lewis", "Dunne", "Khan", "Fraser",
    "Osei", "Palmer", "Jenkins", "Campbell", "Mistry", "Wood", "Hale", "Bell", "Clarke", "Boyle",
)
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBER_WORDS = ("", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
ORDINALS = ("", "first", "second", "third", "fourth", "fifth")


def say_date(d: date) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}"


def money(pence: int) -> str:
    return f"£{pence // 100}.{pence % 100:02d}"


@dataclass(slots=True)
class Customer:
    """A customer of Bramble: who calls, how to reach them, what they pay with."""

    customer_id: str
    first: str
    last: str
    title: str
    email: str
    phone: str
    card_last4: str
    street: str
    town: str
    years: int


def make_customer(rng: random.Random, number: int) -> Customer:
    first = rng.choice(FIRSTS)
    last = rng.choice(LASTS)
    sep = rng.choice((".", "_", ""))
    tail = rng.choice(("", "", str(rng.randint(1, 99)), str(rng.randint(1960, 2004))))
    domain = rng.choice(("example.com", "example.org", "example.net", "mail.example"))
    title = rng.choice(("Mr", "Ms", "Mrs", "Mx", "Dr")) if rng.random() < 0.5 else first
    return Customer(
        customer_id=f"cust-{number:05d}",
        first=first,
        last=last,
        title=f"{title} {last}" if title != first else first,
        email=f"{first.lower()}{sep}{last.lower()}{tail}@{domain}",
        phone=f"07700 900{rng.randint(0, 999):03d}",
        card_last4=f"{rng.randint(0, 9999):04d}",
        street=f"{rng.randint(1, 180)} {rng.choice(STREETS)}",
        town=rng.choice(TOWNS),
        years=rng.randint(1, 14),
    )


def facts(rng: random.Random, day: date, customer: Customer, agent_first: str) -> dict[str, str]:
    """Every slot a line may use, for one contact on ``day``."""
    pence = rng.choice((rng.randint(1200, 9900), rng.randint(2000, 4999), rng.randint(10000, 24999)))
    old_price = rng.randint(22, 48)
    rel = rng.choice(RELATIONS)
    event = rng.choice(EVENTS)
    back = rng.randint(2, 20)
    when = day - timedelta(days=back)
    new_town = rng.choice(TOWNS)
    dd_from = rng.choice((1, 1, 5, 15, 28))
    dd_to = rng.choice([d for d in (8, 12, 15, 20, 25, 28) if d != dd_from])
    days_late = rng.randint(2, 9)
    return {
        "brand": BRAND,
        "agent": agent_first,
        "cust": customer.first,
        "cust_title": customer.title,
        "amount": money(pence),
        "amount_double": money(pence * 2),
        "fee": money(rng.choice((3000, 4500, 6000, 7500, 9900))),
        "balance": money(rng.randint(0, 30000)),
        "credit": money(rng.choice((500, 1000, 1500, 2000, 2500))),
        "date": say_date(when),
        "weekday": WEEKDAYS[when.weekday()],
        "due_date": say_date(day + timedelta(days=rng.randint(3, 20))),
        "order": f"BR-{rng.randint(100000, 999999)}",
        "ticket": f"REF-{rng.randint(10000, 99999)}",
        "product": rng.choice(PRODUCTS),
        "router": rng.choice(ROUTERS),
        "device": rng.choice(DEVICES),
        "plan": rng.choice(PLANS),
        "old_price": f"£{old_price}",
        "new_price": f"£{old_price + rng.randint(4, 14)}",
        "offer_price": f"£{old_price - rng.randint(0, 5)}",
        "town": customer.town,
        "new_address": f"{rng.randint(1, 220)} {rng.choice(STREETS)}, {new_town}",
        "street": customer.street,
        "years": str(customer.years),
        "years_words": NUMBER_WORDS[customer.years] if customer.years <= 10 else str(customer.years),
        "deceased": rel[0],
        "rel": rel[1],
        "they": rel[2],
        "them": rel[3],
        "their": rel[4],
        "deceased_named": rel[5],
        "event": event,
        "your_event": " ".join({"my": "your", "our": "your"}.get(w, w) for w in event.split(" ")),
        "days_late": str(days_late),
        "days_late_words": NUMBER_WORDS[days_late],
        "engineer_slot": rng.choice(ENGINEER_SLOTS),
        "hours_out": str(rng.choice((6, 9, 12, 20, 30, 36, 48, 72))),
        "refund_days": rng.choice(
            ("three to five working days", "two working days", "up to five working days",
             "the next three working days")
        ),
        "callback_day": rng.choice(("tomorrow", "tomorrow afternoon", "by Friday", "within 48 hours",
                                    "on Monday", "before five today")),
        "dd_from": _nth(dd_from),
        "dd_to": _nth(dd_to),
        "data_gb": str(rng.choice((4, 7, 12, 18, 23, 27))),
        "email": customer.email,
        "phone": customer.phone,
        "last4": customer.card_last4,
        "courier": rng.choice(("ParcelDash", "SwiftDrop", "the courier", "QuickShip")),
        "merchant": rng.choice(("an electronics shop in Madrid", "something called XJ Gaming",
                                "a phone shop in Manchester", "an online casino",
                                "a travel site", "a clothing site I've never heard of")),
    }


def _nth(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


# ---------------------------------------------------------------- heavy scenarios

BILLING_ERROR = Scenario(
    key="billing_error",
    queue="billing",
    topic="billing error",
    heavy=True,
    difficulty=0.62,
    emotions=(("frustration", 0.55), ("anger", 0.35), ("worry", 0.10)),
    openers={
        "frustration": (
            "I've been charged twice for my bill this month, {amount} both times on {date}.",
            "My bill's come out as {amount_double} when it's always {amount}, and I can't see why.",
            "You've taken {amount} out twice and I only have one account with you.",
            "There's two payments of {amount} on my statement from {weekday} and I only owe one.",
            "I keep getting charged for a {product} I sent back weeks ago.",
        ),
        "anger": (
            "You've taken {amount} out of my account twice and I want it back today.",
            "Somebody there has charged me twice, {amount} on {date}, and nobody's fixing it.",
            "I've been overcharged again. {amount_double} instead of {amount}. Again!",
            "Why am I still paying for a {product} I returned a month ago?",
            "You lot have double charged me and it's left me overdrawn.",
        ),
        "worry": (
            "I think I've been charged twice, {amount} on {date}, and my rent's due.",
            "There's an extra {amount} gone out and I'm worried I'll go overdrawn.",
            "My bank says you've taken {amount_double} and I really can't afford that this month.",
        ),
    },
    cues=(
        "That money was meant for my rent, I'm short now because of this.",
        "I've had to borrow from my sister to cover it, it's embarrassing.",
        "I've got two kids and a food shop to do, I can't just be missing {amount}.",
        "The bank's charged me an overdraft fee because of your mistake.",
        "I check every statement because money's tight, and now this.",
        "I only get paid on the {dd_to}, so this has wiped me out until then.",
    ),
    wants=(
        "I just want my {amount} back.",
        "I need that money refunded, not excuses.",
        "Just put it right, please.",
        "I want to know why it happened and that it won't happen again.",
    ),
    paraphrases=(
        "So just so I've got this right, you've been charged {amount} twice on {date}, and you need the extra one back?",
        "Let me check I understand: your normal bill is {amount}, but {amount_double} came out this month, yes?",
        "So you returned the {product}, but we've kept billing you for it, is that right?",
        "If I've got this right, there are two payments of {amount} from {weekday} and only one should be there?",
    ),
    findings=(
        "I can see it now. The direct debit ran twice on {date} because of a system error on our side.",
        "Right, I've found it: the {product} was never taken off the account after the return was booked in.",
        "Okay, so what's happened is a payment retry went through even though the first one succeeded.",
        "I can see the duplicate payment of {amount}; it was flagged in our system but nobody reversed it.",
    ),
    fixes=(
        "I've refunded the duplicate {amount} to your account just now.",
        "I've reversed the extra payment and taken the {product} off your bill.",
        "I've processed a refund of {amount} and added a {credit} credit for the trouble.",
        "I've put the refund through and covered the overdraft fee with a {credit} credit.",
    ),
    expectations=(
        "It'll be back in your bank within {refund_days}, and you'll get an email confirming it within the hour.",
        "You'll see it back by {due_date} at the latest, and I'll email you the refund reference {ticket} today.",
        "The refund shows as pending straight away and lands in {refund_days}; your next bill will be the normal {amount}.",
    ),
    callbacks=(
        "I need our payments team to sign off a refund this size, so I've sent it to them marked urgent and I'll call you {callback_day} to confirm it's gone through.",
        "I've raised refund {ticket} and I'll ring you {callback_day} myself to confirm it's paid.",
    ),
    vague=(
        "I have raised a refund request. The billing team will review it in due course.",
        "A ticket has been created for this issue. Please allow time for it to be processed.",
    ),
    policies=(
        "Refunds take up to 28 days, that's our policy, I can't speed it up.",
        "The system shows both payments as valid, so there's nothing I can do about it.",
        "We don't refund over the phone, that's just our policy.",
        "It's only {amount}, it'll sort itself out on the next bill.",
    ),
    blames=(
        "You've set up two direct debits yourself, that's why you've paid twice.",
        "If you'd sent the {product} back with the returns label it would have been logged properly.",
        "You should really check your statements sooner, this went out on {date}.",
    ),
    followups=(
        "And how do I know this won't happen again next month?",
        "Will I get the overdraft fee back too?",
        "Can you make sure the {product} is actually off my account now?",
        "Do I need to do anything, or is that it?",
    ),
    answers=(
        "I've put a note on the account and I'll check your next bill myself on the {dd_to}; if anything's off I'll call you.",
        "Yes, the {credit} credit covers the fee, and if your bank charged more, send me the letter and I'll match it.",
        "It's gone now; you'll get an updated bill by email today showing just your {plan} plan.",
        "Nothing at all, you're done; the email with reference {ticket} is your proof if you ever need it.",
    ),
    thanks=(
        "Oh thank you, that's a relief, I was panicking about the rent.",
        "Brilliant, thank you, that's exactly what I needed.",
        "Thank you so much, honestly that's taken a weight off.",
    ),
    fix_rate=0.85,
)

OUTAGE = Scenario(
    key="outage",
    queue="tech_support",
    topic="service outage",
    heavy=True,
    difficulty=0.66,
    emotions=(("frustration", 0.6), ("anger", 0.35), ("worry", 0.05)),
    openers={
        "frustration": (
            "My internet's been down for {hours_out} hours and nobody's told me anything.",
            "The broadband keeps dropping out every ten minutes, it's been like this since {weekday}.",
            "I've had no broadband at all in {town} since {date}.",
            "The internet's gone again. I've restarted the {router} about five times.",
        ),
        "anger": (
            "I've had no internet for {hours_out} hours and I'm paying {new_price} a month for this!",
            "This is the worst service I've ever had. Down again since {weekday}!",
            "Your website says there's no outage in {town}, but I've got nothing, so which is it?",
            "I am paying for {plan} and getting absolutely nothing. Nothing!",
        ),
        "worry": (
            "My internet's gone and my mum's alarm pendant runs through it, I'm really worried.",
            "We've got no connection and I've got an online exam tomorrow, I don't know what to do.",
        ),
    },
    cues=(
        "I work from home and I've lost {days_late_words} days of pay because of this.",
        "My son has his exams next week and he can't even revise online.",
        "My dad's on a health monitor that needs the connection.",
        "I run a small business from my kitchen and every hour offline costs me money.",
        "I've been sitting in a café for {hours_out} hours just to get online for work.",
    ),
    wants=(
        "I just need it working again.",
        "I want an actual date when it'll be fixed.",
        "Just tell me when it'll be back.",
        "I want compensation for this, honestly.",
    ),
    paraphrases=(
        "So you've been without broadband in {town} for about {hours_out} hours and restarting the {router} hasn't helped?",
        "Just to check I've got it: the connection drops every few minutes since {weekday}, and it's stopping you working?",
        "So it's no service at all since {date}, even after the restarts, right?",
    ),
    findings=(
        "I can see a cable fault at the cabinet serving your street in {town}; it was damaged during roadworks.",
        "There's a line fault showing on our side, not your equipment. The test shows it drops every few minutes.",
        "I've run a line test and the {router} isn't syncing; it looks like a fault at the exchange.",
        "There's a local outage in {town} affecting about two hundred homes; engineers are on site.",
    ),
    fixes=(
        "I've reset the line from our end and I can see the {router} back online now.",
        "I've pushed a fix to your {router} and the line test has just passed.",
        "I've moved you to a different port at the exchange and it's showing connected.",
    ),
    expectations=(
        "Engineers expect it fixed by six tonight; I'll text you when it's back and I've added {credit} credit for the days you lost.",
        "I've booked an engineer for {engineer_slot}, you'll get a text the evening before with a two-hour window.",
        "Give it ten minutes to settle; if it drops again, reply to the text I'm sending and it comes straight back to me.",
    ),
    callbacks=(
        "I've booked an engineer for {engineer_slot} and I'll call you {callback_day} to make sure it's holding up.",
        "I've escalated it to the network team under {ticket} and I'll ring you {callback_day} with an update either way.",
    ),
    vague=(
        "There is a known issue in your area. It will be resolved as soon as possible.",
        "I have logged a fault. An engineer may be in touch.",
    ),
    policies=(
        "It's an area outage, there's nothing I can do, you'll have to wait like everyone else.",
        "We don't give compensation for outages under 48 hours, that's the policy.",
        "I can't give you a time, it's fixed when it's fixed.",
        "Your contract only promises best efforts, so there's nothing to claim.",
    ),
    blames=(
        "Have you actually restarted the router properly? Most of the time it's the customer's equipment.",
        "If the {router} isn't in the right place it won't work, that's not on us.",
        "You must have unplugged something, the line looks fine from here.",
    ),
    followups=(
        "And what about all the time I've been without it? Do I get anything back?",
        "What if it goes down again next week?",
        "Is someone actually going to tell me when it's fixed?",
        "Do I need to be in for the engineer?",
    ),
    answers=(
        "Yes, I've added {credit} to your account for the time you've been without service; it'll show on your next bill.",
        "If it drops again, call and quote {ticket}; I've flagged the line so you go straight to the fault team.",
        "Yes, you'll get a text the moment it's back, and I'll check the line myself {callback_day}.",
        "Someone over eighteen needs to be in; the engineer calls thirty minutes before arriving.",
    ),
    thanks=(
        "Oh thank god, it's back. Thank you.",
        "Thank you, honestly, that's such a relief, I can get back to work.",
        "Right, that's great, thanks for actually sorting it.",
    ),
    fix_rate=0.5,
)

CANCELLATION = Scenario(
    key="cancellation",
    queue="retention",
    topic="cancellation",
    heavy=True,
    difficulty=0.52,
    emotions=(("frustration", 0.55), ("anger", 0.3), ("sadness", 0.15)),
    openers={
        "frustration": (
            "I want to cancel. My bill's gone from {old_price} to {new_price} and nobody told me.",
            "I'd like to leave, please. I've had enough of the price going up every year.",
            "I'm calling to cancel my {plan}, it's just not worth {new_price} a month.",
            "I found the same deal for less elsewhere, so I want to cancel my {plan}.",
        ),
        "anger": (
            "Cancel my account. Right now. {new_price} a month? Are you having a laugh?",
            "I've been loyal for {years} years and you hike my price to {new_price}. I'm done.",
            "I want out. The service is rubbish and you keep putting the price up.",
        ),
        "sadness": (
            "I need to cancel, I'm sorry. I've lost my job and I just can't afford {new_price} any more.",
            "I'm moving into a care home next month, so I need to close my {plan} plan.",
        ),
    },
    cues=(
        "I've been with you {years_words} years and this is how you treat loyal customers.",
        "New customers get it for half the price, it feels like a slap in the face.",
        "Things are really tight at the moment, I've had to cut everything back.",
        "I've tried to ring about the price twice already and got cut off both times.",
    ),
    wants=(
        "I just want to cancel, please.",
        "Either fix the price or let me go.",
        "I want a fair price, that's all.",
    ),
    paraphrases=(
        "So your {plan} went from {old_price} to {new_price} without a clear warning, and that's why you want to leave?",
        "Just so I understand: it's the price rise more than the service itself that's the problem?",
        "If I've got it right, you'd stay if the price was fair, but not at {new_price}?",
    ),
    findings=(
        "I can see the price went up on {date} when your discount ended; the letter went to an old address.",
        "Your loyalty discount ran out last month, which is why it jumped to {new_price}.",
        "You're out of contract now, so you're free to leave without a fee if you want to.",
    ),
    fixes=(
        "I can put you on our loyalty rate of {offer_price} a month for the next two years, same {plan} speed.",
        "I've cancelled the {plan} for you; there's no exit fee as you're out of contract.",
        "I've applied a {offer_price} loyalty price and refunded the difference from this month.",
    ),
    expectations=(
        "You'll get a confirmation email today, and the new price shows on your bill from the {dd_to}.",
        "Your service stays on until the {dd_to}, then stops; you'll get a final bill within ten days and no more payments after that.",
        "The new price starts from your next bill, and I've emailed you the details so you have them in writing.",
    ),
    callbacks=(
        "I've asked the loyalty team to approve a better offer and I'll call you {callback_day} with it; if you still want to go, I'll cancel it there and then.",
    ),
    vague=(
        "Your request has been noted. The retention team will review your account.",
        "Cancellations are processed within the standard timeframe.",
    ),
    policies=(
        "Prices go up every April, that's in the terms, I can't change it.",
        "There's a cancellation fee of {fee} if you leave now, that's your contract.",
        "I can't offer you the new customer price, that's only for new customers.",
    ),
    blames=(
        "You agreed to the price changes when you signed up, it's in the terms you accepted.",
        "The letter was sent, it's not our fault if you didn't update your address.",
    ),
    followups=(
        "And I won't get charged anything else after that?",
        "Will the price go up again next year?",
        "Do I need to send the {product} back?",
    ),
    answers=(
        "No, the final bill is the last one; if anything else comes out, call me on this reference {ticket} and I'll refund it.",
        "It's fixed for two years, and I've put that in the email so nobody can change it on you.",
        "Yes, a free returns bag arrives in three days; pop it in and drop it at any post office.",
    ),
    thanks=(
        "Oh, that's much better, thank you, I'd rather stay to be honest.",
        "Thank you for being straight with me, I appreciate that.",
        "That's fair, thank you, you've been really helpful.",
    ),
    fix_rate=0.8,
)

FRAUD_WORRY = Scenario(
    key="fraud_worry",
    queue="fraud",
    topic="fraud worry",
    heavy=True,
    difficulty=0.7,
    emotions=(("worry", 0.8), ("anger", 0.1), ("confusion", 0.1)),
    openers={
        "worry": (
            "There's a payment on my account I don't recognise, {amount} to {merchant}.",
            "I've had an email saying someone ordered a {product} on my account, and it wasn't me.",
            "Someone's changed my password, I think my account's been hacked.",
            "I've just seen {amount} taken on {date} for something I never bought.",
            "I got a text asking me to confirm a new phone on my account and I didn't ask for one.",
        ),
        "anger": (
            "Someone's used my account to buy a {product} and you just let it happen!",
            "How has somebody ordered a {product} in my name? Where's your security?",
        ),
        "confusion": (
            "I've got an order confirmation for a {product} and I don't know where it came from.",
            "I'm not sure what this charge of {amount} is, it says {merchant}, is that you?",
        ),
    },
    cues=(
        "I'm scared they've got all my details now, my bank ones too.",
        "What if they take more money? I've only got a bit left until payday.",
        "I'm on my own and this kind of thing really frightens me.",
        "I haven't slept since I saw it, honestly.",
        "My card details are saved on that account, should I be panicking?",
    ),
    wants=(
        "I just need to know my money's safe.",
        "Please just stop them taking any more.",
        "I want it blocked, now.",
        "Tell me what I need to do.",
    ),
    paraphrases=(
        "So there's a payment of {amount} on {date} to {merchant} that you didn't make, and you want to make sure nothing else goes out?",
        "Just so I'm clear: someone ordered a {product} on your account and you've never had one?",
        "So you got a text about a new phone you didn't order, and now you can't log in?",
    ),
    findings=(
        "I can see a login from a new device on {date}, and the {product} was ordered a few minutes later.",
        "The payment went through using your saved card; the delivery address isn't yours.",
        "Your password was reset from an email change request on {weekday} that didn't come from you.",
    ),
    fixes=(
        "I've blocked the account to new orders, cancelled the {product} before it ships and reset your login.",
        "I've frozen the saved card, stopped the order and reported it to our fraud team.",
        "I've locked the account, removed the unknown device and cancelled the payment of {amount}.",
    ),
    expectations=(
        "The fraud team will refund the {amount} within {refund_days}, and I'll email you reference {ticket} now; you won't be liable for any of it.",
        "You'll get a text with a link to set a new password in the next five minutes; nothing else can be ordered until you do.",
        "An investigator will call you {callback_day}; nothing more can go out in the meantime, I've made sure of that.",
    ),
    callbacks=(
        "The investigation takes a few days, but I'll call you {callback_day} myself to tell you where it's got to.",
        "I've passed it to the fraud investigators under {ticket}; I'll ring you {callback_day} either way.",
    ),
    vague=(
        "I have referred this to the fraud department. They will contact you if required.",
        "Please be advised that fraud cases are investigated in line with our procedures.",
    ),
    policies=(
        "You'll need to speak to your bank about that, we don't deal with card fraud.",
        "I can't refund it until the investigation's finished, that's the policy.",
        "We can't do anything until you send a police reference number.",
    ),
    blames=(
        "Did you give your password to anyone? Because that's usually how this happens.",
        "You must have clicked a phishing link, we see it all the time.",
        "If you'd turned on two-step login this wouldn't have happened.",
    ),
    followups=(
        "Do I need to cancel my bank card as well?",
        "Will I actually get the money back?",
        "How do I stop this happening again?",
        "Should I call the police?",
    ),
    answers=(
        "It's a good idea to let your bank know today, and I'll give you our reference {ticket} to quote to them.",
        "Yes, you're covered; the {amount} comes back within {refund_days} and you won't be out of pocket.",
        "I'd turn on two-step login; I'll text you the link now and stay on the line while you do it if you like.",
        "You can report it to Action Fraud; I'll email you the link with our reference so it's all in one place.",
    ),
    thanks=(
        "Oh thank you, that's such a relief, I was so scared.",
        "Thank you, I feel a lot safer now.",
        "Thank you for being so patient with me, I was really panicking.",
    ),
    fix_rate=0.75,
)

BEREAVEMENT = Scenario(
    key="bereavement",
    queue="bereavement",
    topic="bereavement account closure",
    heavy=True,
    difficulty=0.74,
    emotions=(("sadness", 0.85), ("frustration", 0.1), ("confusion", 0.05)),
    openers={
        "sadness": (
            "I'm calling because {deceased} passed away last month, and I need to close {their} account.",
            "Sorry, I need to sort out {deceased}'s phone contract, {they}... {they} died on {date}.",
            "{deceased_named} passed away and I don't know what to do about the broadband.",
            "I've been putting this off. {deceased_named} died a few weeks ago and I need to cancel everything.",
        ),
        "frustration": (
            "{deceased_named} died in the spring and you're still sending bills in {their} name, it's awful.",
            "I've already told you {deceased} passed away and I've had another bill addressed to {them}.",
        ),
        "confusion": (
            "{deceased_named} passed away and I'm trying to work out which accounts {they} had, is there one with you?",
        ),
    },
    cues=(
        "{deceased_named} always dealt with all this, I've never had to do it before.",
        "Every letter that comes addressed to {them} just sets me off again.",
        "We were so close. Sorry. It's still very raw.",
        "It's been such a hard few weeks, there's so much to sort.",
        "I'm sorry, I thought I'd be okay to do this.",
    ),
    wants=(
        "I just want it closed without any fuss.",
        "Please don't send any more letters in {their} name.",
        "I don't want to have to keep explaining this.",
    ),
    paraphrases=(
        "So you'd like to close your {rel}'s account and stop any more bills or letters in {their} name?",
        "Just to make sure I do this right: you want the account closed, and the final bill sent to you?",
    ),
    findings=(
        "I've found the account; there's a {plan} plan and a {product} on it.",
        "I can see the account, and there's a small balance of {amount} on it.",
    ),
    fixes=(
        "I've closed the account today and waived the final {amount}, so there's nothing to pay.",
        "I've stopped all bills and letters, and closed the account with no charges.",
        "I've closed it and marked it so no more letters go out in {their} name.",
    ),
    expectations=(
        "You'll get one letter confirming the closure within five days, and that's the last thing we'll send.",
        "There's nothing else you need to do; the confirmation comes by email to you, not to {them}.",
        "You don't need to return the {product}; you'll get a closure letter this week and nothing after that.",
    ),
    callbacks=(
        "I need a copy of the death certificate to finish, but there's no rush; I'll call you {callback_day} to see how you're getting on.",
    ),
    vague=(
        "Bereavement requests are handled by our dedicated team. Please send the required documents.",
        "The account will be closed once the documentation has been verified.",
    ),
    policies=(
        "We need the death certificate before we can do anything, that's the policy.",
        "I can't close it unless the account holder calls us.",
        "The final bill still has to be paid, that's how it works.",
    ),
    blames=(
        "You should have told us sooner, the account's been running up charges.",
        "If the executor had contacted us earlier, none of these letters would have gone out.",
    ),
    followups=(
        "Do I need to send anything in?",
        "Will there be anything else to pay?",
        "Can I keep the phone number? It was {their} number for years.",
    ),
    answers=(
        "No, you don't need to send anything; I've done it all from here.",
        "There's nothing to pay at all; I've written that on the account so no one chases you.",
        "Yes, we can move the number to your name; I'll do that now so you don't lose it.",
    ),
    thanks=(
        "Thank you. You've been really kind. That was easier than I thought.",
        "Thank you so much for being so gentle about it.",
        "That's a relief, thank you, one less thing to do.",
    ),
    fix_rate=0.85,
)

DELIVERY_DELAY = Scenario(
    key="delivery_delay",
    queue="deliveries",
    topic="delivery delay",
    heavy=True,
    difficulty=0.54,
    emotions=(("frustration", 0.6), ("worry", 0.25), ("anger", 0.15)),
    openers={
        "frustration": (
            "My {product} was meant to come on {date} and it's still not here, order {order}.",
            "I've waited in all day three times for order {order} and nothing's turned up.",
            "The tracking for {order} has said 'out for delivery' for {days_late_words} days.",
            "My {product} is {days_late} days late and nobody can tell me where it is.",
        ),
        "worry": (
            "I ordered a {product} for {event} and it still hasn't arrived, order {order}.",
            "The tracking says my {product} was delivered but it's not here, I'm worried it's been stolen.",
        ),
        "anger": (
            "Where's my {product}? It's {days_late} days late and I've paid for next-day delivery!",
            "The courier says delivered, it was not delivered, and I want my {product}!",
        ),
    },
    cues=(
        "It's a present for {event}, and now it won't arrive in time.",
        "I took a day off work to wait for it.",
        "I've got nothing to give them now, I feel awful.",
        "I paid extra for next-day delivery, for what?",
    ),
    wants=(
        "I just want to know where it is.",
        "I need it before {event}.",
        "Either get it to me or give me my money back.",
    ),
    paraphrases=(
        "So order {order} was due on {date}, it still hasn't come, and you need it for {your_event}?",
        "Just to check: tracking says delivered, but there's no {product} at your door?",
        "So you've waited in for it more than once and it's now {days_late} days late?",
    ),
    findings=(
        "I can see it's stuck at the {courier} depot in {town}; it was mislabelled.",
        "The courier marked it delivered at 2pm, but the photo shows a different door.",
        "It's been held at the warehouse because of a stock check; it never left us.",
    ),
    fixes=(
        "I've sent a replacement {product} by priority delivery, arriving tomorrow before noon.",
        "I've refunded the delivery charge and had the depot put it on tomorrow's first van.",
        "I've cancelled the lost parcel and sent a new {product} by next-day tracked delivery.",
    ),
    expectations=(
        "You'll get a text with a one-hour window tomorrow morning, and I've emailed you the new tracking number.",
        "It'll be with you tomorrow before noon, in time for {your_event}; if not, call me back on {ticket} and I'll refund it in full.",
        "Tracking updates tonight; if it's not with you by Thursday, the refund goes out automatically.",
    ),
    callbacks=(
        "I've opened a claim with {courier} under {ticket}; I'll call you {callback_day} with either a delivery date or a refund.",
    ),
    vague=(
        "I have contacted the courier regarding your parcel. Please allow 48 hours for a response.",
        "Your delivery is being investigated. Tracking will update when available.",
    ),
    policies=(
        "Once it's with the courier it's out of our hands, you'll have to contact them.",
        "We can't send a replacement until the investigation has finished, that's the policy.",
        "Deliveries can take up to ten working days, so it's not technically late.",
    ),
    blames=(
        "The address on the order was incomplete, so the courier couldn't deliver it.",
        "If you'd been in when they came, you'd have it by now.",
        "You should have chosen a safe place on the app.",
    ),
    followups=(
        "What if it doesn't come tomorrow either?",
        "Do I get the delivery charge back?",
        "And what happens to the one that went missing?",
    ),
    answers=(
        "Then you call me on {ticket} and I refund it in full straight away, no questions.",
        "Yes, I've refunded the delivery charge already; it shows in {refund_days}.",
        "If the old one turns up, just refuse it or keep it in the box and we'll collect it for free.",
    ),
    thanks=(
        "Oh that's brilliant, it'll be here for {event}, thank you so much.",
        "Thank you, that's a relief, I thought I'd have nothing for them.",
        "Great, thanks for sorting it so quickly.",
    ),
    fix_rate=0.7,
)

TECH_SETUP = Scenario(
    key="tech_setup",
    queue="tech_support",
    topic="confusing tech setup",
    heavy=True,
    difficulty=0.45,
    emotions=(("confusion", 0.65), ("frustration", 0.35)),
    openers={
        "confusion": (
            "I've got the new {device} and I've no idea how to set it up.",
            "The instructions for the {device} say to press the WPS button, but I can't find one.",
            "I don't understand which cable goes where on this {device}.",
            "The app keeps asking for a pairing code for the {device} and I don't know where it is.",
        ),
        "frustration": (
            "I've spent two hours trying to set up this {device} and it still won't connect.",
            "The {device} setup keeps failing at step four, every single time.",
            "I've done everything the leaflet says and the {device} light is still flashing red.",
        ),
    },
    cues=(
        "I'm not very good with technology, my grandson usually does this.",
        "I've watched three videos and I still don't get it.",
        "I feel a bit stupid, honestly, everyone says it's easy.",
        "I need it working for a video call with my daughter tonight.",
    ),
    wants=(
        "I just want it to work.",
        "Can you just tell me what to press?",
        "I need someone to walk me through it.",
    ),
    paraphrases=(
        "So the {device} is plugged in, but the light's still red and the app won't find it?",
        "Just so I follow: you're stuck at the step where it asks for a pairing code?",
        "So you've got the {device} out of the box but you're not sure which cable goes in which port?",
    ),
    findings=(
        "Okay, on that model the pairing code is on a sticker under the base, not in the box.",
        "The grey cable goes in the port marked WAN, and the yellow one isn't needed at all.",
        "Your {device} needs a quick update before the app can see it; it's not something you did.",
    ),
    fixes=(
        "Let's do it together: hold the button on the back for five seconds until the light goes white. There, it's paired.",
        "I've pushed the update from our side; press 'try again' in the app. That's connected now.",
        "Right, plug the grey cable into WAN, wait for the green light, and scan the code under the base. There we go.",
    ),
    expectations=(
        "I'm emailing you a one-page guide with pictures of exactly what we did, in case you ever need to redo it.",
        "It'll do one more restart on its own tonight; that's normal, and it'll be back within two minutes.",
        "If the light goes red again, you can reply to my email and it comes straight to me.",
    ),
    callbacks=(
        "The {device} looks faulty, so I'm sending a replacement that arrives {callback_day}; I'll call you when it lands and set it up with you.",
    ),
    vague=(
        "Please refer to the setup guide provided with your device.",
        "A technical support ticket has been created. You will receive an email with next steps.",
    ),
    policies=(
        "We don't provide setup support for that device, it's in the guide.",
        "I can only support the basic connection, not the app.",
    ),
    blames=(
        "If you'd followed the guide step by step it would be working.",
        "You've plugged it into the wrong socket, it says so in the leaflet.",
    ),
    followups=(
        "Will I have to do all this again if there's a power cut?",
        "Can I set up the second {device} the same way?",
        "How do I know it's actually working properly?",
    ),
    answers=(
        "No, it remembers everything; after a power cut it just comes back on its own in a couple of minutes.",
        "Yes, same steps; and if you get stuck, call back and quote {ticket}, it's all noted.",
        "A solid white light means it's fine; I've just checked and I can see it online from here.",
    ),
    thanks=(
        "Oh, it's working! Thank you so much, I'd never have figured that out.",
        "That's brilliant, thank you for being so patient with me.",
        "Finally! Thank you, that was so much easier than the leaflet.",
    ),
    fix_rate=0.85,
)

# ---------------------------------------------------------------- routine scenarios

ADDRESS_CHANGE = Scenario(
    key="address_change",
    queue="accounts",
    topic="address change",
    heavy=False,
    difficulty=0.12,
    emotions=(("neutral", 1.0),),
    openers={
        "neutral": (
            "Hi, I've just moved house and need to update my address to {new_address}.",
            "Hello, can I change the address on my account please? It's {new_address} now.",
            "I'm moving on the {dd_to} and want to get my bills sent to {new_address}.",
            "Hiya, quick one, I need my billing address changing.",
        ),
    },
    findings=(
        "No problem. I've got the account up.",
        "Sure thing, I can see the current address as {street}.",
    ),
    fixes=(
        "I've updated the address to {new_address}.",
        "That's done, the account now shows {new_address}.",
        "Right, that's changed; bills go to {new_address} from now on.",
    ),
    expectations=(
        "You'll get an email confirming it in a few minutes.",
        "Your next bill on the {dd_to} will go to the new address.",
    ),
    followups=(
        "Will my broadband move with me?",
        "Do I need to do anything with the {product}?",
    ),
    answers=(
        "If you'd like it moved, I can book that now; it usually takes about a week.",
        "Nothing at all, just plug it in at the new place.",
    ),
    thanks=("Perfect, thanks.", "Great, that was easy.", "Lovely, cheers."),
    routine_reply=("Yes, that's right.", "Yep, that's the one.", "That's it, yes."),
    fix_rate=1.0,
)

BALANCE_QUESTION = Scenario(
    key="balance_question",
    queue="billing",
    topic="balance question",
    heavy=False,
    difficulty=0.1,
    emotions=(("neutral", 0.85), ("confusion", 0.15)),
    openers={
        "neutral": (
            "Hi, can you tell me how much I owe at the moment?",
            "Hello, I just wanted to check my balance before the bill goes out.",
            "Can I check when my next payment is and how much it'll be?",
            "Hiya, what's the balance on my account please?",
        ),
        "confusion": (
            "Hi, my app shows a balance of {balance} but I thought I'd paid, can you check?",
            "I'm not sure what the {amount} on my bill is for, could you explain?",
        ),
    },
    findings=(
        "Your balance is {balance}, and the next payment of {amount} goes out on {due_date}.",
        "There's {balance} on the account; that's this month's {plan} plus a {product} instalment.",
        "You're all paid up to date; the next bill is {amount} on {due_date}.",
    ),
    fixes=(
        "I've sent a breakdown to your email so you can see every line.",
        "I've emailed you the full statement.",
    ),
    expectations=(
        "The next payment is on {due_date}, and nothing else is due before then.",
        "You'll get the bill by email three days before it's taken.",
    ),
    followups=(
        "Can I pay it off early?",
        "Is that the same as last month?",
    ),
    answers=(
        "Yes, you can pay any time in the app or I can take it now.",
        "It's the same as last month, no changes.",
    ),
    thanks=("Great, thanks for that.", "That's all I needed, thanks.", "Brilliant, cheers."),
    routine_reply=("Yes, that's right.", "Yeah, that's me.", "Yes please."),
    fix_rate=1.0,
)

PAYMENT_DATE = Scenario(
    key="payment_date",
    queue="billing",
    topic="payment date change",
    heavy=False,
    difficulty=0.1,
    emotions=(("neutral", 1.0),),
    openers={
        "neutral": (
            "Can I move my direct debit from the {dd_from} to the {dd_to}? I get paid later now.",
            "Hi, I'd like to change the date my bill comes out, please.",
            "Hello, is it possible to pay on the {dd_to} instead of the {dd_from}?",
        ),
    },
    findings=(
        "Yes, that's fine, let me just find the direct debit.",
        "Of course. I can see it currently goes out on the {dd_from}.",
    ),
    fixes=(
        "Done, it'll come out on the {dd_to} from now on.",
        "I've moved it to the {dd_to}.",
    ),
    expectations=(
        "This month there'll be a small part-payment of {amount} to cover the gap, then the normal amount from next month.",
        "You'll get an email confirming the new date today.",
    ),
    followups=("Will that cost anything?", "Does it start this month?"),
    answers=(
        "No charge at all.",
        "It starts from your next bill.",
    ),
    thanks=("Brilliant, thank you.", "Perfect, that helps a lot.", "Great, ta."),
    routine_reply=("Yes, that's right.", "Yes, that's it.", "Yep."),
    fix_rate=1.0,
)

ORDER_STATUS = Scenario(
    key="order_status",
    queue="deliveries",
    topic="order status",
    heavy=False,
    difficulty=0.12,
    emotions=(("neutral", 1.0),),
    openers={
        "neutral": (
            "Hi, just checking on order {order}, when's it likely to turn up?",
            "Hello, I ordered a {product} on {date}, could you tell me when it's coming?",
            "Hiya, is there a tracking number for my {product}?",
        ),
    },
    findings=(
        "It's with {courier} and due tomorrow.",
        "It left our warehouse this morning; it's due on {due_date}.",
    ),
    fixes=(
        "I've texted you the tracking link.",
        "I've emailed you the tracking number.",
    ),
    expectations=(
        "You'll get a one-hour delivery window on the morning it arrives.",
        "The courier will text you the day before.",
    ),
    followups=("Can they leave it with a neighbour?", "Do I need to sign for it?"),
    answers=(
        "Yes, you can choose that from the tracking link.",
        "Yes, someone needs to sign, but you can pick a safe place instead in the app.",
    ),
    thanks=("Lovely, thanks.", "Great, that's all I needed.", "Perfect, cheers."),
    routine_reply=("Yes.", "That's the one.", "Yes, that's me."),
    fix_rate=1.0,
)

HEAVY_SCENARIOS: tuple[tuple[Scenario, float], ...] = (
    (BILLING_ERROR, 0.22),
    (OUTAGE, 0.19),
    (DELIVERY_DELAY, 0.16),
    (TECH_SETUP, 0.14),
    (CANCELLATION, 0.12),
    (FRAUD_WORRY, 0.10),
    (BEREAVEMENT, 0.07),
)

ROUTINE_SCENARIOS: tuple[tuple[Scenario, float], ...] = (
    (ADDRESS_CHANGE, 0.3),
    (BALANCE_QUESTION, 0.3),
    (PAYMENT_DATE, 0.2),
    (ORDER_STATUS, 0.2),
)

SCENARIOS: dict[str, Scenario] = {s.key: s for s, _ in HEAVY_SCENARIOS + ROUTINE_SCENARIOS}


def pick(rng: random.Random, weighted: tuple[tuple[Scenario, float], ...]) -> Scenario:
    return rng.choices([s for s, _ in weighted], weights=[w for _, w in weighted])[0]


def pick_emotion(rng: random.Random, scenario: Scenario) -> str:
    return rng.choices([e for e, _ in scenario.emotions], weights=[w for _, w in scenario.emotions])[0]
