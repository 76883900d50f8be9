"""Word lists for finding speech cues and their sources in news text.

Speech verbs (finite forms, participles, and the verbs good enough for reported speech without
quote marks) were mined from the cues of quoted attributions in a training corpus and completed
by hand. Also: particle cues ("went on"), passive and inverting verbs, the nouns that can head a
speaker phrase ("the senator", "officials"), determiners and lower-case stop words. No logic here.
"""

from __future__ import annotations

FINITE_CUES = frozenset(
    """said says say told tells tell added adds wrote writes tweeted tweets asked asks continued
    continues noted notes explained explains stated states responded responds replied replies
    declared declares concluded concludes argued argues insisted insists pledged pledges promised
    promises warned warns admitted admits suggested suggests recalled recalls claimed claims
    announced announces acknowledged acknowledges remarked assured assures urged urges
    joked jokes shouted shouts yelled yells chanted chant chants blasted blasts boasted boasts
    conceded concedes predicted predicts complained complains emphasized emphasizes asserted
    asserts lamented laments quipped quips posted mused muses countered counters cautioned
    cautions charged observed observes commented testified testifies wondered wonders
    vowed vows confirmed confirms stressed stresses maintained maintains contended contends
    recounted recounts opined scoffed retorted replied exclaimed exclaims whispered screamed
    thundered bragged brags snapped proclaimed proclaims announced insisted called calls
    described describes accused accuses mocked mocks praised praises criticized criticizes
    questioned quoted reported read reads wrote explained answered
    barked begged pleaded prayed thanked cried sang sings dubbed labeled labelled
    shot agreed agrees disagreed dismissed portrayed decried denounced hailed touted slammed
    branded deemed characterized likened labeled bemoaned credited cited offered interjected
    demurred chided ridiculed derided lambasted scolded cheered applauded conceded argue add
    pressed fumed marveled reasoned reiterated reiterates elaborated blamed knocked implied
    referred refers answers
    write insist claim note warn explain ask describe predict declare respond reply recall""".split()
)
PARTICIPLES = frozenset(
    """saying adding telling writing noting calling arguing explaining declaring stating asking
    tweeting insisting warning claiming urging promising recalling suggesting responding replying
    describing continuing concluding posting announcing blasting accusing praising joking boasting
    complaining admitting acknowledging predicting vowing asserting pledging remarking quipping
    lamenting chanting shouting yelling emphasizing stressing mocking proclaiming""".split()
)
# Verbs good enough for reported speech without quote marks ("X said that ...").
REPORT_CUES = frozenset(
    """said says told tells added adds argued argues claimed claims noted notes wrote writes
    explained explains warned warns insisted insists stated states suggested suggests acknowledged
    acknowledges announced announces predicted predicts declared declares contended contends
    maintained maintains stressed stresses emphasized emphasizes asserted asserts tweeted tweets
    admitted admits conceded concedes""".split()
)
# Verbs that take no object, so a noun phrase after them can be an inverted subject.
INVERTING = frozenset(
    """said says added adds asked asks wrote writes continued explained noted replied responded
    recalled quipped declared insisted argued remarked observed concluded""".split()
)
# Auxiliaries of the passive ("was asked about"): their subject is no speaker.
PASSIVE = frozenset("was were is are been being".split())
# Two-word cues: the verb and the particle that must follow it.
PARTICLE_CUES = {
    "went": "on",
    "goes": "on",
    "chimed": "in",
    "chimes": "in",
    "fired": "back",
    "fires": "back",
    "pointed": "out",
    "points": "out",
    "spoke": "up",
}
# Determiners that open a noun phrase ("the senator", "two officials").
DETS = frozenset(
    """the a an his her their its this that these those one another some several many two three
    four five both other any each our my your most few""".split()
)
# Lower-case function words (and "said") that a speaker noun phrase never runs across.
STOP_LOWER = frozenset(
    """that and but or because which when if as while where though although than so since after
    before until unless whether who whom whose what how why said says told to of for with in on
    at by from into about against""".split()
)
# Nouns that can head a speaker phrase ("the senator", "officials", "a statement").
NOMINAL_HEADS = frozenset(
    """campaign voters officials candidates supporters candidate leaders president experts senator
    allies aides group administration company people groups advisers official team governor party
    spokesman spokeswoman spokesperson nominee manager judge others director office supporter
    strategist senators adviser analysts media source sources members lawmakers aide government
    critics strategists crowd agency board leader reporter organization newspaper rivals advocates
    politicians opponents activists police website insiders donors delegates executives economists
    court conservatives staff prosecutors audience friends authorities front-runner camp woman man
    businessman pollster observers spokespeople secretary operatives protesters backers
    congressman congresswoman chairman chairwoman representative attorney lawyer lawyers
    researchers liberals progressives organizers statement report poll survey memo letter
    teacher student mother father wife husband son daughter brother sister worker resident owner
    founder president chief doctor nurse officer soldier veteran agent detective lawmaker
    legislator candidate commentator host anchor columnist writer author editor journalist
    historian professor scientist economist analyst consultant pollster lobbyist activist
    organizer volunteer voter delegate chair chairman governor mayor senator representative
    minister ambassador diplomat general commander sheriff prosecutor attorney judge justice
    ceo executive employee staffer surrogate ally rival opponent critic supporter fan member
    leader spokesperson representative man woman people person official officials campaign
    administration department ministry agency office committee council board commission
    network newspaper paper magazine outlet site website blog study analysis ad video post
    tweet email message release document filing complaint lawsuit transcript book article
    editorial column book group coalition union association foundation institute center
    organization company firm bank party government court police military army white house
    pentagon kremlin senate house congress caucus prince king queen pope host suit neurosurgeon
    surgeon billionaire mogul tycoon magnate insider operative observer agent resident student
    assistant consultant participant attendant correspondent contestant claimant defendant
    plaintiff hopeful hopefuls contender contenders frontrunner front-runner statement statements
    letter memo memorandum report petition footnote survey poll indictment""".split()
)
