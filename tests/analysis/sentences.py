"""Named example sentences, reused across the analysis tests."""

FRUSTRATED_REPEAT_CALLER = (
    "This is the third time I've called about this and nobody has fixed it. "
    "I'm so fed up with having to explain it all again."
)
FURIOUS_THREAT = "YOU PEOPLE STOLE MY MONEY. I'm reporting you to the ombudsman and my lawyer."
GRATEFUL_CUSTOMER = "Thank you so much, that's a huge relief, you've been really helpful."
CONFUSED_ABOUT_BILL = "I don't understand this bill at all, what does this line about adjustments mean?"
WORRIED_ABOUT_MORTGAGE = "I'm really worried, if this payment bounces will I lose the house?"
BEREAVED_CUSTOMER = "My husband passed away last month and I'm still getting letters addressed to him."
PLAIN_ACCOUNT_NUMBER = "It's 4481 2290."
SARCASTIC_GREAT = "Oh great, just great. Another week without internet."
NEGATED_HAPPY = "I'm not happy with this at all."
EMOJI_ANGRY = "😡😡😡"
EMOJI_THANKS = "🙏👍"
GERMAN_COMPLAINT = "Ich warte seit drei Wochen auf meine Rückerstattung, das ist eine Frechheit."
KEYBOARD_MASH = "asdkjh qwpoeiru zxcmvn"

ACKNOWLEDGE_FRUSTRATION = (
    "I can hear how frustrating this has been, having to call three times for the same fault."
)
REPAIR_SORRY = "Sorry, could you repeat that? The line cut out."
REAL_APOLOGY = "I'm really sorry you've had to chase this so many times."
CLOSED_PROCEDURAL_QUESTION = "Can I get your account number please?"
OPEN_QUESTION = "Can you walk me through what happened when the engineer visited?"
CALM_DOWN = "Calm down, sir, shouting won't get this fixed any faster."
POLICY_DEFLECTION = "That's just our policy, there's nothing I can do."
OWNERSHIP_WITH_TIME = (
    "I'll raise the refund myself right now, and you'll see it in your account within three "
    "working days."
)
BLAME_CUSTOMER = "You should have read the terms before you signed up, that's your responsibility."
PARAPHRASE_CHECK = (
    "So just to make sure I've got it right, the router drops every evening around seven and "
    "comes back after an hour?"
)
ROUTER_DROPS = "It drops every evening around seven and then it's back about an hour later."
CANNED_LINE = "I understand your frustration and I apologise for any inconvenience."
GREETING = "Thank you for calling Northline, my name is Sam, how can I help?"
