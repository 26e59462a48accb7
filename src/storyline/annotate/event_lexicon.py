"""The words that make events, and what each makes.

One line per sense: part of speech (``V`` verb, ``N`` noun), the lemmas, the PLOVER category, a
subtype (``-`` for none), the CAMEO code (``-`` where none maps) and flags:

- ``sym``: a symmetric event (meetings, talks): everyone on either side is a participant;
- ``needs=CLASS``: the sense holds only when the trigger's object (or, for a noun, the noun
  itself or its modifiers) belongs to that class of words, e.g. ``sign`` makes an agreement
  only with ``needs=agreement`` ("signed a pact", not "signed autographs");
- ``dest``: the event needs a destination ("flew to Paris"): travel verbs are visits only then.

A verb lemma written ``call_off`` is a phrasal verb: the lemma with its particle ("called off"),
its preposition ("called for") or its object ("opened fire").

The first sense whose conditions hold wins; senses with a condition are tried before those
without (in table order otherwise). What each condition checks is registered in
:mod:`storyline.annotate.events.conditions`.

A few senses are made by a rule, not by a word: those lines (``R``, in :data:`RULE_SENSES`) are
named by their rule, e.g. an attack by aircraft is military force (``R military``) and "X said
Y must ..." a demand (``R must``). Each sense has a :attr:`Sense.name` that events record.

Categories follow the PLOVER event ontology, with CAMEO codes from the CAMEO codebook. Where the
2021 CAMEO-to-PLOVER table and the PLOVER-coded example records disagree, the records win:
conventional military force (CAMEO 19x) is FIGHT, as the records code it, not ASSAULT. Signing a
formal agreement is SUPPORT (CAMEO 057), as both code it; agreeing to do something is AGREE.
Elections and inaugurations have no PLOVER category (they are not one actor acting on another);
they are typed ``OTHER`` with no CAMEO code. Cyber events have no CAMEO code either: a data
breach, phishing or ransomware is an ASSAULT (unconventional force against a target), a
vulnerability found is INVESTIGATE, a patch released is OTHER. A shooting or a stabbing is a
killing (CAMEO 1823) only where a word of death goes with it (``needs=a-death``: "a fatal shooting",
"shot dead", "fatally wounded", "died after he was shot"); one that wounds, and wounding or
injuring, is a physical assault (CAMEO 182).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.tokens import Token


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: Classes of words a sense may need in its object or modifiers.
WORD_CLASSES: dict[str, frozenset[str]] = {
    "agreement": words(
        "agreement agreements deal deals pact pacts treaty treaties accord accords memorandum memorandums memoranda "
        "mou mous contract contracts protocol declaration charter convention consensus understanding compromise "
        "settlement arrangement document documents"
    ),
    "arms": words(
        "arms weapon weapons missile missiles system systems jet jets fighter fighters aircraft helicopter "
        "helicopters tank tanks submarine submarines warship warships frigate frigates drone drones rifle rifles "
        "ammunition artillery reactor reactors howitzer howitzers"
    ),
    "troops": words("troops forces soldiers army armies units battalions brigades personnel"),
    "prisoners": words("prisoners prisoner hostages hostage detainees captives"),
    "intelligence": words(
        "intelligence information data technology technologies expertise experience experiences know-how findings "
        "evidence secrets details knowledge data-sharing"
    ),
    "restrictions": words(
        "restrictions restriction curfew ban embargo blockade sanctions measures siege emergency law"
    ),
    "blockade": words("blockade blockades siege"),
    # a stay's length: "spent less than a day in New Delhi", "spent three days in Beijing"
    "stay": words("day days night nights hour hours week weeks weekend"),
    "observers": words("observers inspectors monitors peacekeepers mission missions"),
    # whom one sends to look into something: "dispatched inspectors to the plant" (CAMEO 090)
    "inspectors": words("inspectors inspector investigators investigator inspection"),
    # people an evacuation saves, not troops that leave: "evacuated the wounded" (aid) and not
    # "evacuated its garrison" (a withdrawal)
    "civilians": words(
        "civilians civilian residents people wounded injured sick refugees children villagers families citizens "
        "nationals tourists patients survivors women elderly passengers"
    ),
    # what one is granted and may be denied: "denied land allocation", "denied him a visa" (CAMEO 12)
    "a-grant": words(
        "permission access entry visa visas allocation request requests application applications bail licence "
        "license licences licenses permit permits asylum passage clearance approval accreditation"
    ),
    "ceasefire": words("ceasefire ceasefires cease-fire truce truces armistice"),
    "international": words(
        "observers inspectors monitors peacekeepers diplomats diplomat ambassador ambassadors envoy envoys "
        "mission missions staff workers journalists correspondents"
    ),
    "access": words("border borders bridge crossing crossings airspace corridor port ports"),
    "aid": words("aid assistance relief supplies food medicine medicines grain loan loans"),
    "relations": words("relations ties"),
    "diplomatic": words("relations ties embassy embassies consulate consulates mission"),
    "strike": words("strike strikes boycott"),
    "phone": words("phone telephone"),
    "data": words(
        "data records record information details files credentials passwords password emails email accounts "
        "account numbers database databases systems system network networks servers server computers"
    ),
    "vulnerability": words(
        "vulnerability vulnerabilities flaw flaws bug bugs exploit exploits zero-day weakness weaknesses hole holes"
    ),
    "patch": words("patch patches update updates fix fixes firmware upgrade upgrades"),
    "ransom": words("ransom ransoms"),
    "police": words("police policemen policeman riot troopers gendarmes gendarmerie"),
    "military": words(
        "aircraft warplane warplanes jet jets fighter fighters bomber bombers helicopter helicopters gunship "
        "gunships troops forces soldiers army navy artillery tanks tank warship warships drone drones military "
        "airforce marines"
    ),
}

_TABLE = """
V meet                          CONSULT meeting 040 sym needs=counterpart
N meeting|meetings              CONSULT meeting 040 sym
N talks|consultations|discussions CONSULT meeting 040 sym
V talk|discuss                  CONSULT meeting 040 sym
V confer|consult|convene        CONSULT meeting 040 sym
N summit|summits                CONSULT summit 043 sym
V negotiate                     CONSULT negotiation 046 sym
N negotiations|negotiation      CONSULT negotiation 046 sym
V mediate                       CONSULT mediation 045
N mediation                     CONSULT mediation 045
V phone|telephone               CONSULT phone-call 041 sym
N call|conversation             CONSULT phone-call 041 sym needs=phone
V call                          CONSULT phone-call 041 sym needs=to-call
V visit                         CONSULT visit 042
N visit|visits|trip|tour|stay   CONSULT visit 042
N way                           CONSULT visit 042 dest
V travel|fly|arrive|head|go|come|land|reach|leave|depart CONSULT visit 042 dest
V spend                         CONSULT visit 042 dest needs=stay
V host                          CONSULT host-visit 043 needs=a-guest
V invite                        CONSULT invitation 036 needs=to-meet
V receive                       CONSULT host-visit 043 needs=person
V sign|ink|exchange             SUPPORT agreement-signed 057 needs=agreement
N signing|signature             SUPPORT agreement-signed 057
V conclude|finalise|finalize    SUPPORT agreement-signed 057 needs=agreement
V reach|strike                  AGREE agreement-reached 030 needs=agreement
V agree                         AGREE agreement 030
N agreement|deal|pact|treaty|accord AGREE agreement 030
V pledge|promise|vow            AGREE pledge 030
V offer                         AGREE pledge 030 needs=not-a-view
V commit|propose                AGREE pledge 030
V approve                       AGREE pledge 030 needs=agreement
V accept                        AGREE pledge 030 needs=not-a-gain
N proposal|offer|pledge|promise|commitment AGREE pledge 030
V buy|purchase|acquire|order|procure AGREE arms-purchase 0312 needs=arms
N purchase|acquisition|procurement AGREE arms-purchase 0312 needs=arms
V sell|supply|deliver|send|provide|transfer AID military-aid 072 needs=arms
V provide|supply|give|pass|send|offer AID military-aid 072 needs=military-intelligence
V praise|commend|hail|laud|endorse|welcome SUPPORT praise 051
V support|back|defend           SUPPORT support 052
V apologize|apologise           SUPPORT apology 055
V thank|congratulate|applaud|reassure SUPPORT praise 051
N praise|apology|endorsement      SUPPORT support 051
N support                       SUPPORT support 051 needs=backing
V recognize|recognise           SUPPORT recognition 054 needs=country
V establish|restore|normalise|normalize SUPPORT diplomatic-relations 054 needs=diplomatic
V open|reopen                   SUPPORT diplomatic-relations 054 needs=diplomatic
V cooperate|collaborate         COOPERATE cooperation 060 sym
V share                         COOPERATE intelligence-sharing 064 needs=intelligence
V exchange|coordinate          COOPERATE cooperation 060 sym needs=someone-does
V extradite                     COOPERATE judicial-cooperation 063
N cooperation|partnership|alliance COOPERATE cooperation 060 sym
N exercise|exercises|drills|drill|games COOPERATE joint-exercise 062 sym needs=armed
V aid|donate|send|provide|grant|give|hand AID aid 070 needs=aid
V grant                         AID asylum 075 needs=asylum
N aid|assistance|relief         AID aid 070
V contribute|commit|offer       AID peacekeeping 074 needs=troops
V contribute                    AID aid 070
V fund|finance|lend|loan|airlift|rescue|shelter AID aid 070
N donation|donations|loan|loans|grant|grants AID aid 070
V lift|ease|end|relax           RETREAT ease-blockade 0872 needs=blockade
V ease|lift|relax|shorten|loosen CONCEDE easing 081 needs=restrictions
V concede|yield|accede          CONCEDE concession 080
V compromise                    CONCEDE concession 080 needs=no-object
V resign|step_down              CONCEDE resignation 0831
N concession|concessions|resignation CONCEDE concession 080
V release|free|return           RETREAT release 0841 needs=prisoners
V release|free                  RETREAT release 0841 needs=person
V hand_over                     AID aid 070 needs=aid
V hand_over                     RETREAT release 0841 needs=prisoners
V hand_over                     RETREAT return 0842
V return|restore                RETREAT return 0842 needs=arms
V evacuate                      AID humanitarian-aid 073 needs=civilians
V evacuate|vacate|dismantle     RETREAT troop-withdrawal 0872
V pull_out                      REJECT rejection 120 needs=from-a-deal
V pull_out                      RETREAT troop-withdrawal 0872
V lay_down                      RETREAT disarm 0873
V receive|admit|accept          RETREAT access 0862 needs=observers
V open|reopen                   RETREAT access 086 needs=access
V allow|permit                  RETREAT access 0863 needs=aid
V allow|permit                  CONCEDE easing 081 needs=someone-to
V withdraw                      REJECT rejection 120 needs=from-a-deal
V withdraw|retreat              RETREAT troop-withdrawal 0872 needs=forces-away
V pull                          RETREAT troop-withdrawal 0872 needs=troops
V pull_back                     RETREAT troop-withdrawal 0872
N withdrawal|pullout|pull-out   REJECT rejection 120 needs=from-a-deal
N withdrawal|pullout|pull-out   RETREAT troop-withdrawal 0872 needs=forces-away
N ceasefire|truce|cease-fire    RETREAT ceasefire 0871 sym
V surrender                     RETREAT surrender 0874
V disarm|demobilize|demobilise  RETREAT disarm 0873
N release                       RETREAT release 0841 needs=a-captive
V call_for|call_on|appeal_for   DEMAND demand 100
V order|summon|instruct         DEMAND demand 100 needs=person
V demand                        DEMAND demand 100 needs=not-a-need
V urge|request|appeal|press|petition DEMAND demand 100
V ask                           DEMAND demand 100 needs=a-request
V insist|plead|implore          DEMAND demand 100
V seek                          DEMAND demand 100 needs=not-an-attempt
N demand|demands                DEMAND demand 100 needs=a-claim
N appeal|request                DEMAND demand 100
V criticize|criticise|condemn|denounce|decry|slam|blast|rebuke|deplore DISAPPROVE criticism 111
V accuse|blame|allege          DISAPPROVE accusation 112
V lambast|censure|fault|chide|reproach|castigate|assail|reprimand DISAPPROVE criticism 111
V attack                        DISAPPROVE criticism 111 needs=in-words
N criticism|condemnation|accusation|accusations|allegation|allegations|complaint|complaints DISAPPROVE criticism 111
V sue                           DISAPPROVE lawsuit 115
V complain                      DISAPPROVE complaint 114
V reject|rebuff|spurn|veto|oppose|renege|backtrack REJECT rejection 120
V refuse                        REJECT rejection 120 needs=not-to-tell
V decline                       REJECT rejection 120 needs=a-refusal
V dismiss                       REJECT rejection 120 needs=not-a-person
V violate|breach                FIGHT military-force 190 needs=ceasefire
N violation|violations|breach|breaches FIGHT military-force 190 needs=ceasefire
V deny                          REJECT rejection 120 needs=a-grant
V defy|violate|flout            REJECT defiance 128
V turn_down|resist|snub          REJECT rejection 120
N rejection|refusal|veto        REJECT rejection 120
V threaten|warn                 THREATEN threat 130
V menace                        THREATEN threat 130
N threat|threats|warning|ultimatum THREATEN threat 130
V call_off                      CONCEDE easing 081 needs=strike
V call_off|break_off|cut_off    SANCTION reduce-relations 160 needs=relations-or-aid
V prohibit|withhold|bar         SANCTION reduce-relations 162 needs=relations-or-aid
V protest|demonstrate|march|riot PROTEST demonstration 141
V rally                         PROTEST demonstration 141 needs=not-a-market
V block|obstruct|barricade      PROTEST obstruction 144
V picket                        PROTEST demonstration 141
N sit-in|picket|marches         PROTEST demonstration 141
N protest|protests|demonstration|demonstrations|march PROTEST demonstration 141
N rally|rallies                  PROTEST demonstration 141 needs=not-a-market
N strike|strikes|walkout|boycott PROTEST strike 143 needs=labour
V strike                        PROTEST strike 143 needs=labour
N riot|riots|unrest             PROTEST riot 145
V deploy|mobilize|mobilise|mass|station|reinforce MOBILIZE troop-deployment 154
N deployment|mobilization|mobilisation MOBILIZE troop-deployment 154
N alert                         MOBILIZE alert 152 needs=not-a-notice
V beef_up|build_up             MOBILIZE troop-deployment 154 needs=troops
V strengthen|bolster|boost|increase|double|triple|expand MOBILIZE troop-deployment 154 needs=more-forces
V sanction|embargo|boycott      COERCE sanctions 163
N sanctions|embargo             COERCE sanctions 163
V impose|extend|declare|reimpose|tighten COERCE restrictions 172 needs=restrictions
N curfew                        COERCE curfew 1723
V expel|withdraw|recall         SANCTION expulsion 166 needs=international
V downgrade                     SANCTION reduce-relations 161
V force_out|kick_out|throw_out  SANCTION expulsion 166 needs=a-body
N suspension|severance|freeze|cutoff|halt SANCTION reduce-relations 160 needs=relations-or-aid
N expulsion|expulsions          SANCTION expulsion 166
V expel|deport                  COERCE expulsion 174
V arrest|detain|jail|imprison|apprehend|indict|convict|sentence COERCE arrest 173
V charge                        COERCE arrest 173 needs=charged-someone
N arrest|arrests|detention      COERCE arrest 173
V crack_down|round_up           COERCE crackdown 175
N crackdown|deportation|deportations|siege|occupation COERCE coercion 170
V seize|confiscate|impound      COERCE seizure 1711
V ban|outlaw|censor             COERCE ban 172
V blockade|besiege              COERCE blockade 191
V occupy|annex                  COERCE occupation 192
V suspend|halt|cut|sever|freeze|cancel|scrap|recall|end|break SANCTION reduce-relations 160 needs=relations-or-aid
V demolish|destroy|raze         ASSAULT destruction 1712 needs=someone-acting
V attack|assault|ambush|raid    ASSAULT attack 180
N attack|attacks|assault|raid|raids|ambush ASSAULT attack 180
V bomb|explode|blow             ASSAULT bombing 183
N bombing|bombings|blast|explosion|bomb ASSAULT bombing 183
V kidnap|abduct|hijack          ASSAULT abduction 181
N kidnapping|abduction|hijacking ASSAULT abduction 181
V kill|murder|slay              ASSAULT killing 1823 needs=someone-acting
V shoot|stab                    ASSAULT killing 1823 needs=a-death
V shoot|stab                    ASSAULT assault 182 needs=someone-acting
N killing|killings|murder|massacre ASSAULT killing 1823
N shooting                      ASSAULT killing 1823 needs=a-death
N shooting                      ASSAULT assault 182
N cleansing                     ASSAULT ethnic-cleansing 203
V assassinate                   ASSAULT assassination 186
N assassination                 ASSAULT assassination 186
V torture                       ASSAULT torture 1822
N torture                       ASSAULT torture 1822
V abuse|rape|molest             ASSAULT assault 182 needs=someone-acted-on
N rape|rapes                    ASSAULT sexual-assault 1821
V execute                       ASSAULT killing 1823 needs=not-a-task
V behead                        ASSAULT killing 1823 needs=someone-acting
V wound|injure                  ASSAULT killing 1823 needs=a-death
V wound|injure                  ASSAULT assault 182 needs=someone-acting
V beat                          ASSAULT killing 1823 needs=a-beating
N execution|executions          ASSAULT killing 1823
V open_fire                     FIGHT military-force 190
V fight|battle                  FIGHT military-force 190 needs=an-enemy
V clash|shell|bombard|invade    FIGHT military-force 190
V strike|pound                  FIGHT military-force 190 needs=someone-acting
V fire                          FIGHT military-force 190 needs=at-someone
N fighting|battle|battles|war   FIGHT military-force 190 needs=an-enemy
N clashes|clash|shelling|invasion|offensive FIGHT military-force 190
V storm|capture|overrun        FIGHT military-force 190
N bombardment|bombardments|airstrike|airstrikes|air-strike FIGHT military-force 195
V hack|breach|infiltrate        ASSAULT data-breach -
V compromise                    ASSAULT data-breach - needs=something-broken
V steal|access|expose|leak|exfiltrate|obtain|pull ASSAULT data-breach - needs=data
N breach|breaches               ASSAULT data-breach - needs=not-a-duty
N hack|hacks|hacking            ASSAULT data-breach -
N leak|leaks                     ASSAULT data-breach - needs=not-a-spill
N intrusion|intrusions|cyberattack|cyberattacks|cyber-attack ASSAULT data-breach -
V phish|trick|lure|impersonate|spoof|dupe ASSAULT phishing -
N phishing|scam|scams|lure|lures ASSAULT phishing -
V encrypt|extort                ASSAULT ransomware -
V pay                           ASSAULT ransomware - needs=ransom
N ransomware|ransom|extortion   ASSAULT ransomware -
V discover|find|identify|uncover|disclose INVESTIGATE vulnerability-found - needs=vulnerability
V report|reveal|detect|spot     INVESTIGATE vulnerability-found - needs=vulnerability
N vulnerability|vulnerabilities|flaw|flaws|exploit|exploits|zero-day INVESTIGATE vulnerability-found -
V exploit                       ASSAULT exploitation -
V patch|remediate|mitigate      OTHER patch -
V fix|address|close|plug        OTHER patch - needs=vulnerability
V release|issue|push|roll_out|ship OTHER patch - needs=patch
N patch|patches                 OTHER patch -
N release|releases              OTHER patch - needs=patch
V investigate|probe|examine|inspect INVESTIGATE investigation 090
N investigation|probe|inquiry|hearing|inquest INVESTIGATE investigation 090
V inquire|audit|look_into       INVESTIGATE investigation 090
V send|dispatch|deploy          INVESTIGATE investigation 090 needs=inspectors
V elect|reelect|re-elect        OTHER election -
V vote                          OTHER election - needs=an-election
N election|elections|poll|polls|referendum OTHER election -
N vote                          OTHER election - needs=an-election
V inaugurate|swear_in           OTHER inauguration -
N inauguration|swearing-in      OTHER inauguration -
"""

#: Senses a rule makes: ``R``, the rule's name, then as above.
_RULE_TABLE = """
R military                      FIGHT military-force 190
R police                        COERCE repression 175
R reported-protest              DISAPPROVE complaint 114
R must                          DEMAND demand 100
R unless                        THREATEN ultimatum 139
R framed                        OTHER - -
"""


@dataclass(frozen=True, slots=True)
class Sense:
    """What one trigger word makes, and on what condition."""

    pos: str
    type: str
    subtype: str | None
    cameo: str | None
    symmetric: bool = False
    needs: str | None = None
    destination: bool = False
    name: str = ""
    """Its line of the table: part of speech, first lemma (or the rule's name), subtype and
    condition, e.g. ``V:meet:meeting:counterpart``, ``N:talks:meeting``, ``R:military``."""


def _line(line: str) -> tuple[list[str], Sense]:
    """The lemmas (or rule name) of a table line, and its sense."""
    pos, lemmas, kind, subtype, cameo, *flags = line.split()
    needs = next((f.split("=", 1)[1] for f in flags if f.startswith("needs=")), None)
    name = [pos, lemmas.split("|")[0]] + ([] if pos == "R" else [subtype])
    name += ([needs] if needs else []) + (["dest"] if "dest" in flags else [])
    sense = Sense(
        pos=pos,
        type=kind,
        subtype=None if subtype == "-" else subtype,
        cameo=None if cameo == "-" else cameo,
        symmetric="sym" in flags,
        needs=needs,
        destination="dest" in flags,
        name=":".join(name),
    )
    return lemmas.split("|"), sense


def _parse(table: str) -> dict[tuple[str, str], list[Sense]]:
    senses: dict[tuple[str, str], list[Sense]] = {}
    for line in table.strip().splitlines():
        lemmas, sense = _line(line)
        for lemma in lemmas:
            senses.setdefault((sense.pos, lemma), []).append(sense)
    # a sense with a condition is tried before one without, whatever the line order: "withdrew its
    # ambassador" is an expulsion before it is a troop withdrawal
    return {key: sorted(found, key=lambda x: x.needs is None and not x.destination) for key, found in senses.items()}


SENSES = _parse(_TABLE)
"""(part of speech, lemma) -> its senses, most specific first."""
RULE_SENSES = {names[0]: sense for names, sense in map(_line, _RULE_TABLE.strip().splitlines())}
"""The rule's name -> the sense it makes."""

#: Nouns of the grounds an act of justice is done on: "arrested on charges of assault", "held on
#: suspicion of murder", "jailed on two counts of fraud". Such a phrase names an offence, never a
#: party: nothing in it is whom the act falls on.
CHARGE_NOUNS = words(
    "charge charges accusation accusations allegation allegations suspicion suspicions count counts indictment "
    "indictments conviction convictions warrant warrants"
)

#: Nouns for someone of a person's: family and household. "Putin's brother" is not Putin, so a
#: person who possesses one of these is not the actor (a country or an organisation still is:
#: "India's envoy" acts for India).
RELATIVE_NOUNS = words(
    "brother brothers sister sisters son sons daughter daughters wife wives husband husbands father mother "
    "parent parents child children nephew nephews niece nieces cousin cousins uncle uncles aunt aunts "
    "grandson grandsons granddaughter granddaughters grandfather grandmother grandchildren family families "
    "relative relatives widow widower fiancee fiance girlfriend boyfriend partner bodyguard bodyguards "
    "driver chauffeur friend friends"
)

#: Nouns that name actors: an argument phrase that names no entity is kept as an actor only when its
#: head is one of these ("police", "protesters", "the ministry"), or the event is an act of force
#: against things ("shelled positions", "demolished homes").
ACTOR_NOUNS = words(
    "official officials minister ministers ministry ministries government governments authority authorities "
    "police policeman policemen troops soldier soldiers force forces army armies military navy militia militias "
    "rebel rebels militant militants insurgent insurgents guerrilla guerrillas fighter fighters gunman gunmen "
    "attacker attackers terrorist terrorists protester protesters protestor protestors demonstrator demonstrators "
    "worker workers union unions leader leaders president presidents premier chancellor king queen party parties "
    "opposition group groups court courts parliament parliaments lawmaker lawmakers legislator legislators "
    "mp mps mep meps senator senators congressman congressmen congresswoman congresswomen "
    "diplomat diplomats envoy envoys ambassador ambassadors delegation delegations company companies firm firms "
    "bank banks council committee agency agencies student students resident residents villager villagers "
    "refugee refugees people man men woman women hacker hackers doctor doctors activist activists spokesman "
    "spokeswoman spokesperson side sides country countries nation nations state states coalition alliance cabinet "
    "administration regime junta crowd crowds thousands hundreds dozens farmer farmers teacher teachers judge "
    "judges prosecutor prosecutors investigator investigators officer officers guard guards inspector inspectors "
    "observer observers peacekeeper peacekeepers manufacturer manufacturers operator operators regulator "
    "regulators mission delegates delegate chief chiefs emir sheikh prince minister's elders organisation "
    "organization organisations organizations association federation confederation community bloc members "
    "member citizens nationals immigrants settlers population residents civilians detainees prisoners hostages"
)

#: Verbs that lend their subject, object and tense to a noun trigger they govern: "held talks",
#: "launched an attack", "paid a visit", "imposed sanctions", "signed an agreement".
LIGHT_VERBS = words(
    "hold have conduct launch carry stage make pay begin start open attend host join resume continue "
    "reach sign ink conclude impose announce plan schedule call order mount lead organise organize "
    "complete undertake wrap give deliver reiterate repeat renew issue voice express extend"
)

#: Verbs of presiding: they lend their subject and tense to a meeting or a signing they govern
#: ("the two leaders oversaw the signing", "presided over the talks", "chaired the meeting"), as a
#: light verb does; not to an agreement ("the agency oversees the nuclear agreement": a monitor,
#: no party) nor to an act of force. "Witness" and "supervise" lend nothing: who watches a signing
#: or supervises talks is seldom a side of them.
CEREMONY_VERBS = words("oversee preside chair")
#: Verbs whose object is brought to a place for an event: "invited the president to the capital
#: for a summit" puts the summit there.
INVITING_VERBS = words("invite welcome")
#: Verbs by which their subject commits to an act they name as their object: who promises, offers,
#: proposes or seeks talks, aid or sanctions is a side of them ("She promised cross-party talks
#: with senior MPs", "Iran offered talks"); the act is still to come (:data:`PLANNING_WORDS`).
#: Not "expect" or "want" (who expects talks need not hold them), nor "urge" or "call for".
COMMITTING_VERBS = words("promise pledge vow offer propose seek threaten")
#: Verbs by which a meeting yields the agreement that is their object ("the talks produced an
#: accord"), and verbs by which it ends with or results in one ("ended with a deal", "resulted in
#: a treaty"). Any verb goes with "without" ("ended without a deal", "was held without the signing
#: of documents"); "discussed", "condemned" or "mediated the agreement" yield none.
YIELDING_VERBS = words("produce yield reach conclude clinch seal")
ENDING_VERBS = words("end conclude close finish culminate result")

#: Verbs of reporting: a clause they govern is reported speech, and their subject is its speaker.
REPORTING_VERBS = words(
    "say tell announce state report claim add confirm note write declare insist reveal disclose "
    "explain acknowledge admit reiterate stress emphasise emphasize conclude"
)
#: Verbs of telling: what their "on" or "about" phrase names is what is told of ("declined to
#: comment on the shooting"), not what their denial or plan is about.
TELLING_VERBS = REPORTING_VERBS | words("comment speak talk elaborate remark brief testify speculate")
#: Verbs of saying proper: the subject reports whatever hangs from them, a noun too ("the vision for
#: cooperation ..., officials said"), where "claimed responsibility for the attack" reports nothing.
SAYING_VERBS = words("say tell add state")
#: Verbs that deny the event of the clause they govern.
DENYING_VERBS = words("deny dismiss refute reject")
#: ... and those that deny the event of a noun they take as object ("denied the allegations"); a
#: rejected offer was made, the rejection is an event of its own.
DENYING_OBJECT_VERBS = DENYING_VERBS - {"reject"}
#: Nouns whose clause is what they say ("reports that they met"), not a relative clause about them:
#: a denial above them reaches it. Word forms, plurals included.
CONTENT_NOUNS = words(
    "report reports claim claims allegation allegations suggestion suggestions rumour rumours rumor rumors "
    "speculation assertion assertions statement statements news word fact idea notion account accounts"
)
#: Verbs that call an event off: the event governed is negated.
CANCELLING_VERBS = words("cancel scrap abandon drop postpone delay suspend call")
#: Verbs and adjectives that put the event they govern in the future.
PLANNING_WORDS = words(
    "plan expect schedule set due intend hope aim prepare propose arrange slate seek want agree decide "
    "upcoming planned proposed scheduled forthcoming next coming expected prospective likely willing ready "
    "prepared eager determined poised offer promise pledge vow swear threaten invite"
)


def _forms(lemma: str) -> set[str]:
    """The inflected forms of a lemma, generously (an extra form only costs a parse)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "ing", lemma + "d"}
    if lemma.endswith("e"):
        forms |= {lemma[:-1] + "ing"}
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    return forms


def _form_senses() -> dict[str, list[Sense]]:
    table: dict[str, list[Sense]] = {}
    irregular = {v: [k for k, x in _IRREGULAR_PAIRS if x == v] for v in {x for _, x in _IRREGULAR_PAIRS}}
    for (_, lemma), senses in SENSES.items():
        base = lemma.split("_")[0]
        for form in _forms(base) | set(irregular.get(base, [])):
            table.setdefault(form, []).extend(senses)
    return table


# -- lemmas and parts of speech without spaCy's lemmatizer ------------------------------------------
# The parse runs only the tagger and parser (the attribute ruler and lemmatizer cost a third of the
# parse time). Lemmas come from the forms of the words these lists name, and irregular verbs.
_IRREGULAR_LEMMAS = dict(
    pair.split(">", 1)
    for pair in words(
        "met>meet held>hold flew>fly flown>fly threw>throw thrown>throw went>go gone>go came>come bought>buy "
        "sold>sell sought>seek "
        "struck>strike fought>fight shot>shoot made>make paid>pay began>begin begun>begin led>lead gave>give "
        "given>give sent>send spoke>speak spoken>speak told>tell withdrew>withdraw withdrawn>withdraw "
        "froze>freeze frozen>freeze took>take taken>take drew>draw drawn>draw swore>swear sworn>swear "
        "stole>steal stolen>steal found>find undertook>undertake undertaken>undertake overran>overrun "
        "shook>shake dealt>deal beaten>beat said>say left>leave won>win lost>lose saw>see seen>see rose>rise "
        "fell>fall wrote>write written>write brought>bring thought>think knew>know known>know ran>run is>be "
        "are>be was>be were>be been>be being>be am>be 's>be 're>be 'm>be has>have had>have having>have "
        "'ve>have did>do does>do done>do doing>do 'll>will wo>will ca>can hid>hide kept>keep meant>mean "
        "broke>break broken>break chose>choose chosen>choose ate>eat eaten>eat felt>feel heard>hear "
        "understood>understand stood>stand sat>sit spent>spend built>build lent>lend bore>bear borne>bear "
        "forgave>forgive forgiven>forgive woke>wake arose>arise arisen>arise oversaw>oversee overseen>oversee "
        "got>get gotten>get partook>partake partaken>partake risen>rise fallen>fall grew>grow grown>grow "
        "fuelled>fuel quitting>quit"
    )
)
#: Universal parts of speech from the tagger's Penn Treebank tags.
_UPOS = {
    "VB": "VERB", "VBD": "VERB", "VBG": "VERB", "VBN": "VERB", "VBP": "VERB", "VBZ": "VERB", "MD": "AUX",
    "NN": "NOUN", "NNS": "NOUN", "NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON",
    "WP$": "PRON", "EX": "PRON", "JJ": "ADJ", "JJR": "ADJ", "JJS": "ADJ", "IN": "ADP", "RB": "ADV", "RBR": "ADV",
    "RBS": "ADV", "CD": "NUM", "DT": "DET", "PDT": "DET", "WDT": "DET", "CC": "CCONJ", "RP": "PART", "TO": "PART",
    "POS": "PART", "UH": "INTJ", "SYM": "SYM",
}  # fmt: skip


#: Verbs whose denial denies the event that is their subject: it did not take place, happen,
#: occur, materialise, go ahead, start or open ("the talks did not take place"; but "the talks
#: did not result in any changes" were held).
OCCURRING_VERBS = words("take happen occur materialise materialize proceed start begin open resume go")
#: Verbs whose "in" phrase is what is done, not where it was done: "engaged in talks",
#: "participated in the election", "ran in the election" (and "take part in").
PARTAKING_VERBS = words("participate engage compete run stand join involve partake")
#: Verbs that get or strike a deal: "got a good deal", "struck a great deal".
GETTING_VERBS = words("get strike reach sign secure land cut win negotiate clinch seal")
#: Verbs that ask someone to act: what they ask of their object is not done ("urged Ukraine to
#: withdraw", "asked the envoy to leave"); verbs that make someone act ("forced", "persuaded") are
#: not among them.
REQUESTING_VERBS = words("urge ask press demand request implore order instruct encourage advise tell")
#: ... and those that name whom they ask in a phrase: "called on Ukraine to withdraw", "appealed to
#: Russia to supply", "pleaded with them to stay" ("called Putin to congratulate him" asks nothing).
REQUESTING_PREPOSITIONS = {"call": "on", "appeal": "to", "plead": "with"}
#: Verbs whose object does what the infinitive after it says: the requests, and "invited Modi to
#: visit", "persuaded", "forced", "allowed", "expects Russia to supply". Not "promise" ("promised
#: voters to cut taxes" is the promiser's act), nor a verb with a purpose ("called Putin to
#: congratulate him", "visited India to sign the deal", "used the summit to meet Putin").
OBJECT_CONTROL_VERBS = REQUESTING_VERBS | words(
    "invite persuade convince force compel allow permit enable expect want require pressure"
)
#: Travel verbs whose object is the place left, not the one gone to: "left Moscow for Kabul" goes
#: to Kabul, "left Moscow" alone goes nowhere the sentence says. (Unlike ``coding.LEAVING``, the
#: subtypes whose place left is where they happen: "withdrew from the town of X".)
DEPARTING_VERBS = words("leave depart")
#: Verbs of moving (not of arriving or staying): their "in" or "at" phrase is where they moved, not
#: where they went ("came out of the nets in Hamilton", "went shopping in Paris").
MOVING_VERBS = words("come go head fly")


#: What a market's demand does ("demand surged", "demand picks up", "demand remained weak"): the
#: subject of these is no claim (``a-claim`` in :mod:`storyline.annotate.events.conditions`).
DEMAND_MOVING_VERBS = words(
    "rise fall surge grow drop decline pick slow soften weaken strengthen increase decrease outstrip exceed "
    "outpace plunge jump recover rebound slump remain stay"
)
#: Verbs that supply a market's demand ("to meet industry demand", "boost capacity").
SUPPLYING_VERBS = words("meet boost forecast fuel curb dampen satisfy stimulate")
#: Verbs by which a claim is made or met with: "a demand was made", "issued a demand".
CLAIMING_VERBS = words("make issue send receive reject present put refuse")
#: Verbs of leaving a deal "from" or "out of" it ("withdrew from", "pulled out of"), and of
#: leaving one that is their object ("quit the deal", "scrapped the accord").
LEAVING_VERBS = words("withdraw pull exit")
QUITTING_VERBS = words("quit leave exit abandon scrap ditch renounce")
#: Verbs by which a gathering brings its parties together ("a summit bringing together the leaders
#: of X and Y", "talks that gathered ministers from X"); "bring" only with "together".
CONVENING_VERBS = words("bring gather unite assemble convene group")


def _lemma_table() -> dict[str, str]:
    table: dict[str, str] = {}
    lemmas = {lemma.split("_")[0] for _, lemma in SENSES}
    lemmas |= LIGHT_VERBS | CEREMONY_VERBS | INVITING_VERBS | YIELDING_VERBS | ENDING_VERBS | REPORTING_VERBS
    lemmas |= DENYING_VERBS | CANCELLING_VERBS | PLANNING_WORDS
    lemmas |= words("fail refuse decline be have do will") | OCCURRING_VERBS | PARTAKING_VERBS | GETTING_VERBS
    lemmas |= DEPARTING_VERBS | OBJECT_CONTROL_VERBS | set(REQUESTING_PREPOSITIONS)
    lemmas |= DEMAND_MOVING_VERBS | SUPPLYING_VERBS | CLAIMING_VERBS | LEAVING_VERBS | QUITTING_VERBS | {"warn"}
    lemmas |= CONVENING_VERBS | TELLING_VERBS
    for lemma in sorted(lemmas):
        for form in _forms(lemma):
            table.setdefault(form, lemma)
    table.update(_IRREGULAR_LEMMAS)
    for lemma in lemmas:
        table[lemma] = lemma
    return table


_LEMMAS = _lemma_table()
_IRREGULAR_PAIRS = list(_IRREGULAR_LEMMAS.items())
#: Objects that make "suspend", "cut", "halt" reduce relations (see ``relations-or-aid``).
REDUCE_WORDS = (
    WORD_CLASSES["relations"]
    | WORD_CLASSES["aid"]
    | words(
        "talks negotiations mediation visit trip cooperation trade flights deliveries operations programme "
        "program ambassador envoy links"
    )
)
FORM_SENSES = _form_senses()
"""An inflected form -> the senses of the lemmas it may be a form of."""
#: Words that frame the act of their clause as an event of its own: "X said Y must leave" is a
#: demand, "will withdraw unless ..." an ultimatum.
FRAME_WORDS = words("must unless")
CANDIDATE_WORDS = frozenset(FORM_SENSES) | FRAME_WORDS
"""The forms of every trigger word: a sentence holding none of them is not parsed."""


def lemma(tok: Token) -> str:
    """The lemma of a parsed token, for the words this module names (else its lower-case form)."""
    return _LEMMAS.get(tok.lower_, tok.lower_)


def senses_of(tok: Token, pos: str = "N") -> tuple[Sense, ...]:
    """The lexicon's senses of a token read as a noun (``N``) or a verb (``V``), by its lemma and
    by its own form."""
    return (*SENSES.get((pos, lemma(tok)), ()), *SENSES.get((pos, tok.lower_), ()))


def consults(tok: Token, pos: str = "N") -> bool:
    """Whether a word has a sense of meeting or visiting ("talks", "summit", "visit"): a gathering."""
    return any(sense.type == "CONSULT" for sense in senses_of(tok, pos))


def pos(tok: Token) -> str:
    """The universal part of speech of a parsed token, from its fine-grained tag ("be" is AUX)."""
    upos = _UPOS.get(tok.tag_, "X")
    if upos == "VERB" and lemma(tok) == "be":
        return "AUX"
    return upos


# -- families: which kinds of event may be one ------------------------------------------------------
#: Subtypes that name one kind of event, at two grains (the columns: subtype, family within an
#: article, family across articles). Within an article, the mentions of one event ("will meet",
#: "the talks", "the invitation"), in one category; a visit and the talks it was for stay two
#: events of the article. Across articles, one happening: the visit and its talks are one
#: encounter. A subtype not listed (or ``-``) is a family of its own within an article, and its
#: category's family across articles. Within an article, a killing and an assault (a wounding) of
#: one incident are one harm ("a shooting killed two and injured five"); the joined event is a
#: killing when one of its mentions is (:func:`graver`).
_FAMILY_TABLE = """
meeting            meet    encounter
summit             meet    encounter
negotiation        meet    encounter
host-visit         meet    encounter
invitation         meet    -
visit              visit   encounter
phone-call         call    call
agreement-signed   agree   agreement
agreement-reached  agree   agreement
agreement          agree   agreement
arms-purchase      -       agreement
killing            harm    -
assault            harm    -
"""
_FAMILIES = {line.split()[0]: (line.split()[1], line.split()[2]) for line in _FAMILY_TABLE.strip().splitlines()}


def graver(a: str | None, b: str | None) -> str | None:
    """Of the subtypes of two joined mentions of one family, the one that names the event: a
    killing over an assault (someone died of the harm, whichever mention said so first); else
    the first."""
    return b if b == "killing" and a == "assault" else a


def mention_family(type: str, subtype: str | None) -> str:
    """The family within one article: mentions of two families are never one event."""
    found = _FAMILIES.get(subtype or "", ("-", "-"))[0]
    return f"{type}:{(subtype or '') if found == '-' else found}"


def happening_family(type: str, subtype: str | None) -> str:
    """The family across articles: events of two families are never one happening."""
    found = _FAMILIES.get(subtype or "", ("-", "-"))[1]
    return type.lower() if found == "-" else found
