"""Words that any scenario can use: agent behaviours and customer reactions.

Agent banks are named after the behaviour vocabulary in DESIGN.md (a line in
``ACKNOWLEDGE`` names the customer's feeling, a line in ``DISMISSIVE``
minimises or deflects, and so on).  Customer banks are keyed by emotion and by
what the agent just did, so the customer's words follow the agent's.
"""

from __future__ import annotations

#: The robotic agents' line, word for word, repeated without adapting or acting.
CANNED_EMPATHY = "I understand your frustration and I apologize for any inconvenience."

ROBOTIC_FILLERS = (
    "Thank you for your patience.",
    "Please bear with me while I check the system.",
    "Thank you for holding.",
)

GREETINGS_VOICE = (
    "Thanks for calling {brand}, you're through to {agent}, how can I help?",
    "Hello, {brand}, {agent} speaking, what can I do for you today?",
    "Hello, you're speaking with {agent} at {brand}. How can I help?",
    "Hi there, this is {agent} from {brand}, how can I help today?",
    "{brand} customer care, {agent} here, how can I help?",
)
GREETINGS_CHAT = (
    "Hi, you're chatting with {agent} from {brand}. What can I do for you today?",
    "Hello and welcome to {brand} chat, I'm {agent}. How can I help?",
    "Hi {cust}, it's {agent} here. What can I help with?",
    "Hi! {agent} here from {brand}. What's brought you to chat today?",
)
GREETINGS_ROBOTIC = (
    "Thank you for contacting {brand}. My name is {agent}. How may I assist you today?",
)

ACKNOWLEDGE: dict[str, tuple[str, ...]] = {
    "anger": (
        "I can hear how angry you are about this, and honestly I would be too.",
        "You're clearly really annoyed, and I get why.",
        "I can tell you're furious about this.",
        "I can hear this has really made you angry.",
        "That's maddening, I can hear how fed up you are.",
    ),
    "frustration": (
        "I can hear how frustrating this has been.",
        "That sounds really frustrating, {cust}.",
        "I can tell this has been a real hassle for you.",
        "Oh, that's so frustrating, especially when you've already tried everything.",
        "I can hear you're fed up with this, and no wonder.",
        "That sounds exhausting to keep chasing.",
    ),
    "worry": (
        "I can hear this has really worried you.",
        "That's a frightening thing to find, {cust}.",
        "I can tell this is really unsettling for you.",
        "That must be really worrying.",
        "I can hear how anxious this has made you, and that's completely understandable.",
    ),
    "sadness": (
        "I'm so sorry for your loss, {cust}.",
        "I'm really sorry about your {rel}. That must be so hard right now.",
        "I'm so sorry. This is a really painful time, and we'll take it gently.",
        "Oh, I'm so sorry to hear that. Please take all the time you need.",
        "That sounds really hard, I'm sorry you're going through it.",
    ),
    "confusion": (
        "I can tell this has been really confusing.",
        "It sounds like the instructions have left you a bit lost, that's no fun.",
        "That is confusing, I'd be scratching my head too.",
        "I can hear it's been a bit baffling, let's untangle it together.",
    ),
}

VALIDATE = (
    "Anyone would be upset after that.",
    "It's completely fair to expect this to be right the first time.",
    "You did exactly the right thing getting in touch.",
    "That's a perfectly reasonable thing to ask for.",
    "It makes total sense that you feel that way.",
    "You shouldn't have had to chase this at all.",
    "Honestly, your reaction is completely understandable.",
    "You're right to be concerned about it.",
)

APOLOGIZE = (
    "I'm really sorry you've been put through this.",
    "I'm sorry we've let you down here.",
    "I apologise, this shouldn't have happened.",
    "I'm so sorry you've had to chase us.",
    "I'm sorry it's taken this long to get someone who can help.",
    "I'm genuinely sorry about the trouble this has caused.",
)

OWNERSHIP = (
    "I'm going to sort this out for you myself.",
    "I'll take care of this personally.",
    "Leave this with me, I'll make sure it's fixed.",
    "I'm not going to pass you around; I'll handle it from here.",
    "I'll stay with this until it's done.",
    "Let me take this on for you right now.",
)

EXPLORE: dict[str, tuple[str, ...]] = {
    "anger": (
        "Can you tell me what's happened so far, so I don't make you repeat anything?",
        "What would put this right for you?",
    ),
    "frustration": (
        "How has this been affecting you day to day?",
        "Can you tell me a bit more about what's been happening?",
        "What would make the biggest difference for you right now?",
    ),
    "worry": (
        "What's worrying you most about it?",
        "How are you feeling about it all right now?",
        "Can you tell me what you've noticed so far?",
    ),
    "sadness": (
        "How are you getting on with everything?",
        "Is there anything else you're having to sort out that I could make easier?",
        "How are you doing with it all?",
    ),
    "confusion": (
        "Can you tell me what you're seeing on the screen right now?",
        "Where did it start to go wrong for you?",
        "What have you tried so far?",
    ),
}

# What an agent says while working or asking procedural things (no behaviour).
VERIFY_ASKS = (
    ("Can I take your full name and the first line of your address?", "address"),
    ("Could you confirm the email address on the account?", "email"),
    ("What's the best phone number to reach you on?", "phone"),
    ("Can you confirm the last four digits of the card you pay with?", "card"),
    ("Could I get your date of birth for security?", "dob"),
    ("And what's the postcode on the account?", "postcode"),
)
VERIFY_ASKS_CHAT = (
    ("Could you confirm the email address on your account, please?", "email"),
    ("Can I take your full name and the first line of your address to find the account?", "address"),
    ("What's the mobile number on the account?", "phone"),
    ("Can you confirm the last four digits of the card on the account?", "card"),
)
VERIFY_THANKS = (
    "Thanks, {cust}.",
    "Lovely, thank you.",
    "Perfect, that's you.",
    "Great, I've got the account.",
    "Thank you, that's all matched.",
)
CHECKING_VOICE = (
    "Bear with me a moment while I pull that up.",
    "Let me just have a look at the account.",
    "One sec, I'm just checking the notes.",
    "Give me a moment to look into that.",
    "Okay, let me check what's happened here.",
)
CHECKING_CHAT = (
    "Give me a couple of minutes to look into this.",
    "Let me check the account, back in a moment.",
    "Just looking into it now.",
    "Bear with me while I check the details.",
)
HOLD_OUT = (
    "I'm going to pop you on a brief hold while I check with the team, is that okay?",
    "Can I put you on hold for a couple of minutes while I look into this?",
    "I'll need to place you on hold for a moment.",
)
HOLD_BACK = (
    "Thanks so much for holding, {cust}.",
    "Thanks for waiting, I'm back.",
    "Sorry about the wait, thanks for holding.",
    "I'm back, thanks for bearing with me.",
)
HOLD_BACK_BRUSQUE = ("Right.", "Okay, I'm back.", "Yeah, so.")

DISMISSIVE = (
    "That's just our policy.",
    "There's nothing I can do about that.",
    "Please calm down.",
    "It is what it is, I'm afraid.",
    "I don't make the rules.",
    "You'll have to wait like everyone else.",
    "Calm down, shouting won't make it faster.",
    "I can't change the system.",
)

TRAINEE_HESITATION = (
    "Um, sorry, one second, I'm still getting used to this system.",
    "Okay, um, let me just... sorry, bear with me.",
    "Er, right, I think it's this screen. Sorry.",
    "Sorry, I'm just checking with my notes.",
)

ROBOTIC_VAGUE = (
    "Your issue has been noted on the account.",
    "I will escalate this to the relevant department.",
    "The appropriate team will be in touch.",
)

GENERIC_CALLBACK = (
    "I need to check that with the billing team, so I'll email you the answer {callback_day}.",
    "I want to get this exactly right, so I'm taking it to my team lead and I'll call you back {callback_day}.",
    "I've logged it under {ticket} and I'll ring you {callback_day} with the answer myself.",
)

ANYTHING_ELSE = (
    "Is there anything else I can help with today?",
    "Anything else I can do for you?",
    "Is there anything else at all?",
    "Before you go, is there anything else on your mind?",
)
ANYTHING_ELSE_ROBOTIC = ("Is there anything else I can assist you with today?",)
ANYTHING_ELSE_BRUSQUE = ("Anything else?", "Is that it?", "Was there anything else?")

FAREWELL_WARM = (
    "Thanks so much for your patience today, {cust}. Take care.",
    "Lovely talking to you, {cust}, have a good rest of your day.",
    "You take care, {cust}. Bye for now.",
    "Thanks, {cust}, and you've got my reference if you need me. Bye now.",
)
FAREWELL_SAD = (
    "Take care of yourself, {cust}. I'm so sorry again for your loss.",
    "Please look after yourself, {cust}. Bye for now.",
)
FAREWELL_PLAIN = (
    "Thanks for calling, bye now.",
    "Okay, thanks, have a good day.",
    "Thanks, bye.",
    "Great, have a good day.",
)
FAREWELL_ROBOTIC = ("Thank you for contacting {brand}. Have a great day.",)
FAREWELL_BRUSQUE = ("Okay. Bye.", "Right, bye then.", "Bye.")

ESCALATE_ASK = (
    "I want to speak to a manager.",
    "Put me through to your supervisor. Now.",
    "Can I speak to someone more senior, please?",
    "I'm not dealing with you any more, get me a manager.",
)
ESCALATE_WARM = (
    "Of course. I'll bring my team lead in and explain everything so you don't have to repeat yourself.",
    "Absolutely, I'll transfer you to my manager now and stay on the line to hand over.",
)
ESCALATE_COLD = (
    "Fine. I'll transfer you.",
    "Okay, hold for the supervisor.",
    "I'll put you through, but they'll tell you the same thing.",
)

# Reading the account back while working (voice): procedural, no behaviour.
NARRATION = (
    "I'm just going into the billing screen now. Okay, I can see you're on the {plan} plan, is that right?",
    "Right, I've got the account open. You've been with us about {years_words} years, yeah?",
    "Okay, the system's loading your history. It says your last bill was {amount}, does that sound right?",
    "I'm just checking the notes from previous calls. Is {street} still the right address?",
    "Okay, bear with me, it's a slow screen. Is the {router} the one we sent you?",
    "Just bringing up the order history now. Was the last order the {product}?",
    "Okay, I'm looking at the account now; there's a {plan} plan and a {product} on here, is that everything?",
)
NARRATION_REPLY = (
    "Yes, that's right.", "Yeah.", "Yes.", "I think so, yes.", "That's right.", "Yep, that's it.",
    "Erm, yes, I think so.", "Yes, that's the one.", "Should be, yeah.", "No, wait, yes, that's it.",
)
NARRATION_REPLY_UPSET = (
    "Yes. Can we get on with it?", "Yes, it's all on there, I've told you.", "Yes. Look, I just need this fixed.",
    "Yes, yes.", "Yes, same as last time I called.", "I don't know, probably. Does it matter?",
)

# ---------------------------------------------------------------- customer

INTENSIFIERS: dict[str, tuple[str, ...]] = {
    "anger": (
        "I'm absolutely furious.", "Right, I'm really angry now.", "This is ridiculous.",
        "Unbelievable.", "I am livid.", "I'm sick of this.",
    ),
    "frustration": (
        "I'm so fed up with this.", "Honestly, I've had enough.", "I'm at the end of my rope here.",
        "This is so frustrating.", "I'm tearing my hair out.",
    ),
    "worry": (
        "I'm really panicking here.", "I'm so worried, I don't know what to do.",
        "Sorry, I'm shaking a bit.", "I'm really scared.", "I'm so anxious about this.",
    ),
    "sadness": (
        "Sorry, this is hard to say.", "Sorry, bear with me.", "I don't really know how to do this.",
        "Sorry, I get a bit upset.", "It's been a really hard time.",
    ),
    "confusion": (
        "I'm completely lost.", "I honestly have no idea what I'm doing.",
        "I've been going round in circles for an hour.", "I just don't get it.",
    ),
}

INTROS = (
    "Hi.", "Hello there.", "Hi, it's {cust} {last} here.", "Morning.", "Hiya, {cust} here.",
    "Oh hi, hello.", "Hello, yes, hi.", "Hi there, thanks for picking up.", "Afternoon.",
    "Hi, my name's {cust} {last}.", "Hello, it's {cust_title} speaking.", "Hi, sorry, quick question.",
    "Hi, I hope you can help.", "Hello, I'm calling about my account.", "Hi, {cust} {last}, account holder.",
)
INTROS_UPSET = (
    "Right.", "Yes, hello.", "Finally, a person.", "At last.", "Hello, yes.", "About time.",
    "Hi. Sorry, I'm a bit stressed.", "Yeah, hi.",
)

REPEAT_PREFIX = (
    "This is the {nth} time I've called about this!",
    "I called on {prev_day} and was told it would be sorted. It isn't.",
    "I've already been through all of this with someone on {prev_day}.",
    "I'm calling again because nobody ever rang me back.",
    "{Nth} call about the same thing now.",
    "I was promised a call back on {prev_day} and heard nothing.",
)

TRANSFERRED_PREFIX = (
    "I've been passed around three departments already.",
    "I've already been transferred twice.",
    "I've explained this twice already to other people.",
    "The last person just put me through to you without saying anything.",
)

# Reaction after the agent lowered the customer's distress, by the band the customer is now in.
REACT_WARMED: dict[str, dict[str, tuple[str, ...]]] = {
    "mild": {
        "anger": (
            "Well. At least someone's admitting it.",
            "Okay. I'm not having a go at you personally.",
            "Right. Fine. Thank you for not fobbing me off.",
        ),
        "frustration": (
            "Okay. Thanks for actually listening, that's more than the last person did.",
            "Right... okay, I appreciate that.",
            "Okay, thank you, I'm just tired of chasing it.",
            "Thanks. It's just been a lot of hassle.",
        ),
        "worry": (
            "Okay, that helps a little, thank you.",
            "Oh, okay. Sorry, I'm just really on edge.",
            "Thank you. I'm still nervous though.",
        ),
        "sadness": (
            "Thank you. That's kind of you to say.",
            "Thanks... it's been a hard few weeks.",
            "Thank you, sorry, I'm okay.",
        ),
        "confusion": (
            "Okay, that makes a bit more sense.",
            "Right, I think I'm following.",
            "Okay, I'll give it a go.",
        ),
    },
    "neutral": {
        "any": (
            "Okay, that sounds fair.",
            "Right, okay.",
            "Okay, that's something at least.",
            "Alright, that makes sense.",
            "Okay, I can live with that.",
            "Right, okay, go on.",
            "Okay, and then what?",
            "Alright, go on then.",
            "Okay, thank you.",
            "Okay, that's good to know.",
            "Alright, thanks for explaining.",
        ),
    },
    "satisfied": {
        "any": (
            "Oh thank you, that's a relief.",
            "Oh, brilliant, I wasn't expecting that.",
            "Thank you, that's really good of you.",
            "Oh, that's a relief, honestly.",
            "Perfect, that's exactly what I wanted.",
            "Oh, you're a lifesaver.",
            "That's brilliant, thank you so much.",
            "Oh, that's so much better, thank you.",
            "Honestly, thank you, you've made this so easy.",
            "Thank you, I really appreciate that.",
            "Oh, that's great news, thanks.",
        ),
    },
}

REACT_PROVOKED: dict[str, tuple[str, ...]] = {
    "anger": (
        "Don't you dare tell me to calm down!",
        "So it's my fault now? Unbelievable.",
        "Policy? I don't care about your policy, I want this fixed!",
        "Are you serious? That's your answer?",
        "Wow. You're really not listening to me at all.",
        "That is a disgraceful way to speak to a customer.",
    ),
    "frustration": (
        "I don't think that's fair, to be honest.",
        "That's not really good enough, is it?",
        "Hang on, that's not what I was told.",
        "So I'm just meant to put up with it?",
    ),
    "worry": (
        "So you're just going to leave me with this? I'm scared.",
        "That doesn't help me at all, what if it gets worse?",
        "But what am I supposed to do? I'm really worried.",
    ),
    "sadness": (
        "That's a really cold thing to say to someone who's grieving.",
        "I'm not trying to be difficult. It's just really hard right now.",
        "Oh. Okay. I didn't think it would be this hard.",
    ),
    "confusion": (
        "But I don't understand what I did wrong.",
        "I'm even more confused now, honestly.",
    ),
}

REACT_ROBOTIC = (
    "You keep saying that, but you're not actually doing anything.",
    "Stop apologising for the inconvenience and just fix it!",
    "Are you reading that off a script?",
    "That's the second time you've said that word for word.",
    "I don't need another sorry, I need an answer.",
    "Is there a real person there? You sound like a recording.",
)

REACT_MISSED: dict[str, tuple[str, ...]] = {
    "anger": (
        "You're not even listening, are you?",
        "Did you hear a word I just said?",
        "I'm telling you this is a disgrace and you're asking me for details?",
    ),
    "frustration": (
        "Did you hear what I said? This has been going on for days.",
        "Hello? I'm telling you this is a nightmare.",
        "Fine, whatever, but I'm really fed up.",
    ),
    "worry": (
        "But is my money safe? Nobody's telling me anything.",
        "Sorry, but I'm really worried, can you just tell me it's okay?",
        "Okay... but I'm still really anxious about it.",
    ),
    "sadness": (
        "...okay. Sorry. It's just hard.",
        "Right. Sorry. I'm trying to hold it together.",
    ),
    "confusion": (
        "Wait, sorry, I still don't understand what I'm meant to do.",
        "Sorry, you've lost me.",
    ),
}

REACT_STILL: dict[str, tuple[str, ...]] = {
    "anger": (
        "I'm still not happy about this.",
        "This shouldn't have happened in the first place.",
        "Frankly this is appalling.",
        "I'm seriously thinking of leaving.",
    ),
    "frustration": (
        "I just want this sorted.",
        "It's just so annoying.",
        "I've wasted so much time on this already.",
        "Honestly, it's exhausting.",
    ),
    "worry": (
        "I'm still really worried about it.",
        "I just need to know it'll be okay.",
        "I keep thinking something else will go wrong.",
    ),
    "sadness": (
        "It's just a lot at the moment.",
        "Sorry, it's still hard to talk about.",
        "I'm just so tired of all of this.",
    ),
    "confusion": (
        "I'm still not sure I understand.",
        "Sorry, can you say that again? I'm lost.",
        "Which one do I press, though?",
    ),
}

CLOSING: dict[str, tuple[str, ...]] = {
    "satisfied": (
        "No, that's everything, thank you so much for your help, {agent}.",
        "No, you've sorted it all. Thanks, {agent}.",
        "That's everything. Really appreciate it.",
        "No, all good. Thanks for taking the time.",
        "Nothing else, thanks. You've been a star.",
        "No, that's perfect, thanks ever so much.",
        "No, that's it. Honestly, thank you, you've been brilliant.",
        "That's all, thanks, you've really put my mind at rest.",
        "No, I'm all good now, thank you so much.",
        "Nope, that's all. Thanks for being so lovely.",
    ),
    "neutral": (
        "No, that's it, thanks.",
        "Nope, that's it.",
        "No, that's fine.",
        "No, I'm okay, thanks.",
        "Nothing else, no.",
        "No, that'll do for today.",
        "No, that's all for now.",
        "No, I think that's everything.",
        "That's it, thanks.",
    ),
    "anger": (
        "No. I'll be looking at other providers, frankly.",
        "No. This has been a complete waste of my time.",
        "No, and I'll be making a formal complaint.",
        "What else is there? You've done nothing.",
    ),
    "frustration": (
        "No. I just hope it's actually fixed this time.",
        "No, that's it. Not that anything's been sorted.",
        "No. I suppose I'll have to call back again.",
    ),
    "worry": (
        "No... I suppose I'll just wait and see.",
        "No, I'm still worried, but okay.",
    ),
    "sadness": (
        "No. That's all.",
        "No, that's all, thank you.",
    ),
    "confusion": (
        "No, I'll try and work it out myself I suppose.",
        "No, I think I'll get my son to look at it.",
    ),
}

# PII a customer reads out (the importer's redaction has to find these).
PII_EMAIL = (
    "It's {email}.",
    "my email is {email}",
    "The email's {email}, I think.",
    "{email}, that's the one I use.",
)
PII_PHONE = (
    "It's {phone}.",
    "My number is {phone}.",
    "You can get me on {phone}.",
)
PII_CARD = (
    "It's the card ending {last4}.",
    "Card ending {last4}.",
    "The last four are {last4}.",
)
PII_FULL_CARD = (
    "The card number is 4111 1111 1111 1111, is that what you need?",
    "Do you need the whole card? It's 4111 1111 1111 1111.",
    "It's 5500 0000 0000 0004, I can read the expiry too if you want.",
)
PII_ADDRESS = (
    "{cust} {last}, {street}.",
    "It's {cust} {last}, {street}, {town}.",
    "{street}, {town}, under {cust} {last}.",
)
PII_DOB = (
    "It's the {dob}.",
    "{dob}.",
    "Born on the {dob}.",
)
PII_POSTCODE = (
    "It's {postcode}.",
    "{postcode}.",
)

CLOSING_TAILS = (
    "", "", "", "Bye.", "Bye now.", "Cheers.", "Take care.", "Have a good one.", "Bye bye.",
    "Thanks again.",
)

HOLD_OK = (
    "Okay.", "Fine.", "Go on then.", "Sure.", "Yeah, okay.", "That's fine.", "Okay, no problem.",
    "If you must.", "Yes, okay.", "Alright.", "Okay, I'll wait.",
)

SHORT_SATISFIED = (
    "Great, thank you.", "Perfect, thanks.", "Oh good, thank you.", "That's really helpful, thanks.",
    "Oh brilliant.", "Lovely, that's good to hear.", "Ah, that's a weight off.", "Great, that's clear.",
    "Fab, thanks.", "That's good news.",
)
SHORT_NEUTRAL = (
    "Okay.", "Right, okay.", "Okay, good.", "Fair enough.", "Okay, I see.", "Right.",
    "Okay, got it.", "Makes sense.", "Alright then.", "Okay, if you say so.",
)

SATISFIED_ROUTINE_CLOSE = (
    "No, that's all, ta.",
    "Nope, you've done it all, thank you.",
    "That's all I needed, cheers.",
    "No, that's all, thanks very much.",
    "No, that's everything, cheers.",
    "That's all, thanks, have a good day.",
    "No, that's great, thank you.",
)
