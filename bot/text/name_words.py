"""Word lists for names: the letters that can capitalise a name, sentence-opening capitals,
titles before a name, pronouns and the last words of organisation names. ``names``, ``clean``
and the quotation modules read them; no logic here.
"""

from __future__ import annotations

# Capital and small letters of the Latin alphabets, accented ones included ("Élodie", "Łukasz",
# "Ñúñez"), for use inside a regular-expression character class.
UPPER = "A-Z" + "".join(ch for ch in map(chr, range(0xC0, 0x250)) if ch.isupper())
LOWER = "a-z" + "".join(ch for ch in map(chr, range(0xDF, 0x250)) if ch.islower())

# Capitalised words that start sentences or name days and months, never part of a name.
STOP_CAPS = frozenset(
    """The A An But And Or Nor So Yet In On At For If When While As After Before This That These
    Those It He She They We I You His Her Their Our Its My Your There Here Then Now Also Still
    Meanwhile However Even Since With Without Despite During By From To Of Asked What Who Whom
    Why How Where Which Some Many Most Both Each Every Other Another One No Not Yes Although
    Though Because Until Unless Instead Indeed Later Earlier Last Next First Second Third New
    According Under Over Among Between Through Into About Against Across Like Just Only All Any
    Such Well Oh Mrs Mr Ms Dr Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April June July August September October November December Sept Jan Feb Aug
    Oct Nov Dec Read Click Subscribe Photo Image Video Let Do Does Is
    Are Was Were Has Have Had Will Would Can Could Should Might Must Thank Please See Look
    Today Tonight Yesterday Tomorrow Did Two Three Four Five Six Seven Eight Nine Ten Eleven Twelve
    Twenty Thirty Forty Fifty Hundred Thousand Million Several Few Likewise Ever Outside Inside
    Minutes Hours Moments Days Weeks Months Years Wait Maybe Perhaps Certainly Specifically
    Finally Again Already Soon Once Often Sometimes Otherwise Rather Besides Nevertheless
    Nonetheless Thus Therefore Hence Overall Clearly Obviously Apparently Reportedly Afterward
    Afterwards Shortly Speaking Asked Amid Amidst Upon Within Beyond Toward Towards Regarding
    Unlike Including Following Around""".split()
)

# Titles and role words written before a name; the name starts after the last of them.
TITLES: dict[str, str] = {
    "Mr": "",
    "Mrs": "",
    "Ms": "",
    "Miss": "",
    "Dr": "doctor",
    "Sen": "senator",
    "Senator": "senator",
    "Sens": "senator",
    "Rep": "congressman",
    "Reps": "congressman",
    "Representative": "congressman",
    "Congressman": "congressman",
    "Congresswoman": "congresswoman",
    "Gov": "governor",
    "Governor": "governor",
    "President": "president",
    "Vice": "",
    "Secretary": "secretary",
    "Speaker": "speaker",
    "Leader": "leader",
    "Judge": "judge",
    "Justice": "justice",
    "Gen": "general",
    "General": "general",
    "Adm": "admiral",
    "Lt": "",
    "Col": "colonel",
    "Capt": "captain",
    "Captain": "captain",
    "Lieutenant": "lieutenant",
    "Colonel": "colonel",
    "Admiral": "admiral",
    "Sgt": "sergeant",
    "Sergeant": "sergeant",
    "Detective": "detective",
    "Inspector": "inspector",
    "Rev": "reverend",
    "Reverend": "reverend",
    "Prof": "professor",
    "Professor": "professor",
    "Mayor": "mayor",
    "Chairman": "chairman",
    "Chairwoman": "chairwoman",
    "Chief": "chief",
    "Former": "",
    "Sheriff": "sheriff",
    "Ambassador": "ambassador",
    "Attorney": "attorney",
    "Director": "director",
    "Minister": "minister",
    "Prime": "",
    "Deputy": "",
    "Commissioner": "commissioner",
    "Pope": "pope",
    "King": "king",
    "Queen": "queen",
    "Prince": "prince",
    "Sir": "",
    "Dame": "",
    "Lord": "",
    "Lady": "",
    "First": "",
    "State": "",
    "Del": "delegate",
    "Atty": "attorney",
    "Sec": "secretary",
    "Democrat": "",
    "Republican": "",
    "Democratic": "",
    "GOP": "",
    "Independent": "",
    "Candidate": "candidate",
    "Nominee": "nominee",
    "Host": "host",
    "Anchor": "anchor",
    "Rabbi": "rabbi",
    "Father": "",
    "Pastor": "pastor",
    "Bishop": "bishop",
    "Cardinal": "cardinal",
    "Trooper": "",
    "Officer": "officer",
    "Agent": "agent",
    "Councilman": "councilman",
    "Councilwoman": "councilwoman",
    "Assemblyman": "assemblyman",
    "Premier": "premier",
    "Chancellor": "chancellor",
    "Adviser": "adviser",
    "Advisor": "adviser",
    "Spokesman": "spokesman",
    "Spokeswoman": "spokeswoman",
    "Editor": "editor",
    "Founder": "founder",
    "Whip": "whip",
    "Strategist": "strategist",
    "Counsel": "counsel",
    "Aide": "aide",
    "Manager": "manager",
    "Chair": "chair",
    "Coach": "coach",
    "Correspondent": "correspondent",
    "Columnist": "columnist",
    "Pollster": "pollster",
    "AG": "attorney general",
    "Emperor": "",
    "Actor": "actor",
    "Actress": "actress",
    "Comedian": "comedian",
    "Billionaire": "billionaire",
    "Businessman": "businessman",
    "Businesswoman": "businesswoman",
    "Singer": "singer",
    "Rapper": "rapper",
    "Author": "author",
    "Rival": "",
    "Fr": "",
    "Co-founder": "founder",
    "Sheikh": "",
    "Ayatollah": "",
}
PRONOUNS = frozenset({"he", "she", "they", "i", "we", "it", "you"})
# Last words of organisation names: "Senate" is no first name of "Senate Conservatives Fund",
# and "State Department" keeps its "State".
ORG_WORDS = frozenset(
    """Fund Committee Party Department Post News Times Institute Foundation Association Council
    Center Centre Group Club PAC Network Project Coalition Union University College School Church
    Corporation Company Agency Bureau Office Commission Caucus Journal Review Magazine Press
    Service Administration Ministry Court Board Alliance Society Campaign Action Watch Ledger Herald
    Tribune Gazette Observer Examiner Chronicle Inquirer Telegraph Guardian Register Bulletin Dispatch
    Courier Globe Radio Television Channel Inc Corp LLC Partners""".split()
)
