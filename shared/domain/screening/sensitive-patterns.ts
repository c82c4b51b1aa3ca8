import { parsedAround, sentenceAround, type Token } from './sensitive-context';

/**
 * Descriptions of a person that no word list can hold in full, found by their shape: "of Tamil
 * heritage", "Kurdish background", "looked Tongan", "he's from Lagos", "born in Fiji" (origin or
 * ethnicity, whatever the word), and a condition named by its medical form after a person's cue
 * ("has psoriasis", "with a heart murmur syndrome"). They complement the lexicon: its terms are
 * judged by sensitive-context.ts, these are its shapes, so an unlisted nationality or condition
 * still trips. A cheap expression finds the sentences worth parsing; most text has none.
 */

export interface PatternFinding {
  term: string;
  category: string;
  phrase: string;
}

/** The words the rules below start from; ASCII without the `u` flag, so the search skips ahead by first letters (four times faster). */
const TRIGGER =
  /\b(?:missing|identif(?:y|ies|ied|ying)|descent|heritage|origins?|extraction|background|appearance|nationals?|accent|voters?|activists?|campaigners?|canvassers?|present(?:s|ed|ing)|looking|look(?:ed|s)?|appear(?:ed|s)|seem(?:ed|s)|sound(?:ed|s)|born\s+in|from|(?:ex-?)?(?:boyfriend|girlfriend|husband|hubby|wife|wifey|missus|bf|gf|partner)|syndrome|disorder|disease|palsy)\b/gi;
/** Words of a pregnancy, beside which "due" is a birth. */
const PREGNANCY_CUES = /\b(?:baby|bub|pregnant|pregnancy|bump|expecting|hapu|formula|nappies|nappy|diapers|midwife|maternity|scan|labour|labor)\b/iu;
/** The sentence a shape's match stands in. */
const sentenceOf = (text: string, g: RegExpExecArray): string => {
  const { from, to } = sentenceAround(text, g.index, g.index + g[0].length);
  return text.slice(from, to);
};
/** The ending of a condition's medical form, in any word ("ptosis" too; searched apart: an alternation with the words above loses the skipping). */
const MEDICAL_WORD = /(?:itis|osis|iasis|aemia|emia|pathy|plegic|plegia|phrenia|phrenic|lepsy|leptic|trophy|phobia)\b/gi;
/** Words after which a descriptor noun says nothing of origin ("of unknown origin", "in the background"). */
const NOT_AN_ORIGIN = new Set(['unknown', 'the', 'a', 'an', 'some', 'no', 'any', 'this', 'that', 'his', 'her', 'their', 'its', 'same', 'different', 'good', 'bad', 'criminal', 'military', 'sporting', 'working', 'average', 'normal', 'scruffy', 'tidy', 'smart', 'neat', 'rough', 'dishevelled', 'unkempt', 'local', 'southern', 'northern', 'regional', 'posh', 'strong', 'thick', 'heavy', 'slight', 'funny', 'weird', 'odd', 'fake', 'put-on']);
const ORIGIN_NOUNS = new Set(['descent', 'heritage', 'origin', 'origins', 'extraction']);
const DESCRIPTOR_NOUNS = new Set(['background', 'appearance', 'national', 'nationals', 'accent', 'looking']);
/** A capitalised name before these is a politician's or a party's ("Poilievre voter", "Harris campaigner"); "supporter" is left out: football. */
const POLITICAL_NOUNS = new Set(['voter', 'voters', 'activist', 'activists', 'campaigner', 'campaigners', 'canvasser', 'canvassers']);
const PERCEIVED = new Set(['looked', 'look', 'looks', 'appeared', 'appears', 'seemed', 'seems', 'sounded', 'sounds']);
/** What may stand between a perceiving verb and what someone looked like ("looked to be a", "seemed sort of"). */
const PERCEIVED_SKIP = /^(?:to|be|like|a|an|possibly|maybe|probably|quite|very|kind|of|sort)$/;
const FROM_SUBJECT = /^(?:he|she|they|hes|shes|he's|she's|theyre|they're|originally|orig)$/;
const LINKING = /^(?:is|was|were|are|'s|\u2019s|'re|\u2019re|be|been|comes|came|hails|immigrated|migrated|moved)$/;
/** After "from", a place ends the phrase; an organisation or a part of the store does not ("from Head Office", "from Bunnings Warehouse"). */
const NOT_A_PLACE = /^(?:office|store|shop|team|head|security|centre|center|council|hq|warehouse|depot|branch|site|school|work|church|club|police|the|a|an|our|their|next|across|up|down|over)$/;
const MEDICAL = /(?:itis|osis|iasis|aemia|emia|pathy|plegic|plegia|phrenia|phrenic|lepsy|leptic|trophy|phobia)$/;
const NOT_MEDICAL = new Set(['sympathy', 'empathy', 'apathy', 'telepathy', 'antipathy', 'trophy', 'homophobia', 'xenophobia', 'transphobia', 'diagnosis', 'prognosis', 'hypnosis', 'osmosis', 'halitosis', 'metamorphosis', 'symbiosis', 'thesis', 'emphasis']);
const CONDITION_NOUNS = new Set(['syndrome', 'disorder', 'disease', 'palsy']);
const CONDITION_CUES = new Set(['has', 'had', 'have', 'having', 'with', 'w/', 'suffers', 'suffering', 'suffered', 'diagnosed', 'his', 'her', 'their', 'hes', 'shes', 'is', 'was']);

/** What someone "identifies as" that is a gender ("identifies as female tho her ID says male"). */
const GENDERS = new Set(['female', 'male', 'woman', 'man', 'girl', 'boy', 'feminine', 'masculine', 'nonbinary', 'non-binary', 'enby', 'genderfluid', 'agender', 'trans', 'transgender', 'neither']);
/** A sex after "identified as" is who the police or the footage recognised ("suspect identified as male"): only the present tense says someone's identity. */
const SEXES = new Set(['female', 'male', 'woman', 'man', 'girl', 'boy']);
const IDENTIFIES = /^identif(?:y|ies|ied|ying)$/;
/** "presenting as female", "presented as male": how someone presents their gender. */
const PRESENTS = /^present(?:s|ed|ing)$/;
/** A limb someone is missing ("missing left arm below the elbow", "missing two fingers"): an amputation. */
const LIMBS = /^(?:arm|leg|hand|foot|eye|fingers?|thumb|toes?)$/;
const LIMB_SKIP = /^(?:his|her|their|a|an|the|left|right|lower|upper|one|two|three|both|an?)$/;

/** Words between someone and "from" ("he's just over from Tonga"); not "back", "up" or "straight" (a trip: "came back from Bunnings"). */
const FROM_SKIP = /^(?:just|over|only|recently|newly|originally)$/;
/** A man's partner and a woman's: "his boyfriend", "her ex-wife" say whom someone loves. */
const HIS_PARTNERS = /^(?:ex-?)?(?:boyfriend|husband|hubby|bf)$/;
const HER_PARTNERS = /^(?:ex-?)?(?:girlfriend|wife|wifey|missus|gf)$/;
/** People whose partner is theirs as "his" or "her" says. */
const HIS_OWNERS = /^(?:man|bloke|guy|lad|gentleman|fella|dude|boy|male)$/;
const HER_OWNERS = /^(?:woman|lady|girl|female|lass)$/;
/** What may follow a place of worship's noun when the words name a thing there, or a street or a place ("church car park", "Chapel Hill"). */
const NOT_WORSHIP_AFTER =
  /^\s*(?:car\s*park|carpark|parking|hall|op\s*shop|thrift|fete|sale|fair|shop|grounds|playgroup|play\s*group|kindy|kindergarten|preschool|creche|school|cafe|caf\u00e9|market|garden|building|bus|van|roof|steps|door|of|food\s*bank|burglary|break-in|robbery|fire|alarm|incident|st|street|rd|road|ave|avenue|lane|ln|bar|hill|square|park|centre|center|mall|plaza|close|crescent|terrace|drive|way|place)\b/iu;
/** A visit is worship only as a habit ("went to mass every Sunday"). */
const HABIT = /^[^.!?\n]{0,40}?\b(?:every|each|regularly|weekly|most\s+(?:days|weeks|sundays|fridays|saturdays)|on\s+(?:sundays|fridays|saturdays)|sundays|fridays|saturdays)\b/iu;
/** Who attends a place in the line of duty ("Police attended the church burglary"). */
const ON_DUTY = /\b(?:police|officers?|cops|constables?|firefighters?|ambulance|paramedics?|security)\s*$/iu;
/**
 * Where someone worships, as a habit ("attends the local gurdwara", "goes to mass", "attends
 * Destiny Church"); not a visit ("went to the church op shop"), nor a thing or place of that name
 * ("goes to his temple" is a scar's reach, "Temple Bar", "Chapel Hill", "the church playgroup").
 */
const WORSHIP =
  /\b(?:attends?|attended|attending|goes to|go to|went to|regular at|belongs to|belonged to|member of|(?:prays|praying|prayed|worships|worshipping|worshipped)\s+(?:at|in))\s+(?:the\s+|a\s+)?(?:local\s+)?((?:[\p{L}'\u2019-]+\s+){0,2}?)(?:mosque|church|synagogue|temple|gurdwara|mandir|shul|chapel|mass|kingdom hall|meeting house)\b/giu;
const WORSHIP_KEYS = ['mosque', 'church', 'synagogue', 'temple', 'gurdwara', 'mandir', 'shul', 'chapel', 'mass', 'kingdom hall', 'meeting house'];
/**
 * A political gathering someone was at or came from ("was at the climate rally", "recognised him
 * from the convoy protest"), at most two words between or a name; not a car rally, a product demo, a
 * Christmas march or the month of March, nor a protest someone was near ("at the doors because of
 * the protest").
 */
const GATHERING_KEYS = ['rally', 'rallies', 'protest*', 'picket*', 'march*', 'demonstration*'];
const GATHERING =
  /\b(?:(?:was|were|been|came|come|coming|straight|just|fresh)\s+(?:in\s+)?|(?:goes|go|went|going)\s+(?=to\b)|(?:recogni[sz]ed|seen|saw|spotted|knows?|knew)\s+(?:him|her|them|the\s+\p{L}+)\s+(?:off\s+the\s+news\s+)?)(?:at|from|to)\s+(?:the\s+|a\s+|that\s+)?((?:[\p{L}-]+\s+){0,5}?)(rally|rallies|protests?|demonstrations?|pickets?|march(?:es)?)\b(?!\s*(?:car|cars|area|site|zone|barriers?|route|outside|next|kitchen|table|stand|day|fence|class))/giu;
const NOT_POLITICAL_GATHERING = /\b(?:product|cooking|school|sales|demo|car|cars|motor|motorbike|motorcycle|jeep|harley|vintage|classic|scout|pep|rally|(?:christmas|santa|easter|anzac|st\.?\s+patrick'?s?)(?:\s+day)?)\s+(?:rally|rallies|protests?|march(?:es)?|parades?|demonstrations?)\b/iu;
const NOT_A_GAP = /^(?:because|of|near|by|and|outside|the|a|to)$/i;
const WAYS_OF_GOING = /^(?:run|ran|running|hide|hid|hiding|go|went|going|walk|walked|walking|flee|fled|duck|ducked|head|headed|off|into)$/i;
/** Pronouns someone goes by ("it's they/them", "my pronouns are she/they"); "he/they" and "she/they" only beside the word pronouns (a writer unsure how many it was), never "he/she". */
const PRONOUNS = /\b(?:she\/her|he\/him|they\/them|xe\/xem|ze\/zir|ze\/hir)\b/giu;
const MIXED_PRONOUNS = /\b(?:she\/they|he\/they|they\/she|they\/he)\b/giu;
/** Someone's sex before ("she used to be a bloke", "was born a man"): a gender transition; not "there used to be a man on the door". */
const FORMER_SEX = /\b(?:used to be|was born|born)\s+(?:(?:a\s+)?(?:bloke|man|guy|dude|woman|girl|lady|boy|male|female)|a\s+(?:he|she)(?![-\p{L}])(?=\s*(?:$|[.,;:!?)]|and\b|but\b|so\b|apparently\b|i\s+think\b|i\s+reckon\b|tbh\b|lol\b)))\b/giu;
/** Someone who changed sex ("she the one who change sex"; not "can clownfish change sex", nor a Sex Pistols poster). */
const CHANGED_SEX = /\b(?:he|she|they|who)\s+(?:(?:wants?|want|wanted|going|gonna|had|has|did|is|was|to|the|one)\s+){0,4}(?:change|changed|changing|changes)\s+(?:his\s+|her\s+|their\s+)?sex\b(?!\s+Pistols)/giu;
/** Someone fasting for a faith's season ("ramadan he fasting", "she's fasting for Lent"). */
const FASTING = /\b(?:he|she|they)(?:['\u2019]s|['\u2019]re|\s+is|\s+was|\s+are|\s+were)?\s+(?:still\s+)?fasting\b/giu;
/** Someone whose sex is said to have changed: "she is man now", "he was woman before". */
const SEX_CHANGED = /\b(?:(she)|(he))(?:\s+(?:is|was)|['\u2019]s)\s+(?:a\s+)?(?:(man|boy|bloke|guy|male|he)|(woman|girl|lady|female|she))\s+(?:now|before)\b/giu;
/** A gay venue someone is seen at or frequents ("seen him at the gay bar", "frequents the gay bars"); not a venue that is the scene ("hid in the gay bar"). */
const GAY_VENUE =
  /\b(?:(?:seen|saw|see|spotted|recogni[sz]ed?|know|knows|knew)\s+((?:[\p{L}'-]+\s+){1,4}?)(?:at|from|in|outside)|frequents?|regulars?\s+(?:at|of)|drinks\s+at|hangs?\s+out\s+at|(?:he|she|they|who)(?:['\u2019](?:s|d|re))?\s+(?:(?:was|were|had|has|have|is|are)\s+)?(?:been\s+)?out\s+(?:at|in))\s+(?:the\s+|a\s+)?(?:gay|lesbian|queer)\s+(?:bars?|clubs?|saunas?|venues?|nightclubs?|pubs?)\b/giu;
/** Where someone calls home ("back home in Suva we don't pay for this"). */
const BACK_HOME = /\bback\s+home\s+(?:in|to)\s+(\p{Lu}[\p{L}'-]+(?:\s+\p{Lu}[\p{L}'-]+)?)/gu;
/** Someone coming out ("he'd just come out to his parents", "came out as gay last year"). */
const COMING_OUT =
  /\b(?:(?:come|came|coming|comes)\s+out\s+(?:to\s+(?:his|her|their|my)\s+(?:parents|family|mum|mom|dad|folks|friends|mates|boss)|(?:to\s+(?:us|me|staff|everyone|them|the\s+team)\s+)?as\s+(?:gay|lesbian|bi|bisexual|queer|trans|non-binary))|(?:he|she|they)\s+(?:only\s+|finally\s+|just\s+)?(?:came|has\s+come|had\s+come|come)\s+out\s+(?:last\s+(?:year|month|week|summer)|recently|(?:a\s+(?:while|few\s+years|couple\s+of\s+years)|years|a\s+year)\s+ago)(?=\s*(?:$|[.,;:!?)\u2014-]|and\b|to\b)))\b/giu;
/** Someone's recovery from an addiction ("he's been clean 2 wks", "sober off the grog a year"); not a floor "clean for 2 days". */
const SOBER =
  /\b(?:(?:he|she|i)(?:['\u2019](?:s|ve|d))?|hes|shes|ive|been|stayed|staying)\s+(?:been\s+)?(?:clean|sober)\s+(?:(?:for|now|nearly|almost|about|over)\s+)*(?:(?:years|months)\b|(?:\d{1,3}|a|an|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|few)\s*(?:days?|wks?|weeks?|months?|mths?|years?|yrs?)\b|off\s+(?:the\s+)?(?:meth|ice|heroin|gear|drugs|booze|drink|grog|pills|crack|smack)\b)/giu;
/** Words that make "clean" a recovery. */
const RECOVERY_CUES = /\b(?:drugs?|using|used|relapsed?|sponsor|meth|ice|heroin|gear|booze|drink(?:ing)?|alcohol|rehab|program(?:me)?|methadone|suboxone|addict(?:ion)?|habit|pills)\b/iu;
/** Someone asking for the pronoun they go by ("call me she", "said to call them they"). */
const CALL_ME = /\b(?:call\s+(?:me|them|her|him)|(?:be|being)\s+called)\s+(?:she|they|he|xe|ze)\b(?=\s*(?:$|[.,;:!?)\u2014-]|not\b|instead\b|please\b|now\b|and\b))/giu;
/** Known on a gay scene ("well known on the local gay scene"). */
const GAY_SCENE = /\b(?:on|in|around|of)\s+the\s+(?:local\s+)?(?:gay|lesbian|queer|lgbt\w*)\s+scene\b/giu;
/** How far along a pregnancy is ("about six months along", "7 months gone"). */
const MONTHS_ALONG =
  /\b(?:(?:about|around|roughly|approx|maybe|easily)(?=\s+(?:\d|one|two|three|four|five|six|seven|eight|nine))|she['\u2019]?s|she\s+(?:is|was|looked|looks|seemed|appeared)|(?:woman|lady|girl|female|offender|suspect|poi|wahine|customer|witness|patient|mum|mom|mother)\s+(?:is|was|looked|looks|looking|seemed|appeared|about|around|maybe|approx)|looked|looking)\s+(?:(?:about|around|maybe|roughly|approx\.?|like|easily)\s+)?(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine)(?:\s+and\s+a\s+half)?\s*(?:months?|mths?|mo)\s+(?:along|pregnant)\b(?!\s+(?:in|with|into|on|the|a|that|this|our)\b)/giu;
/** A campaign's slogan or logo on what someone wears ("ball cap with a presidential campaign slogan"). */
const CAMPAIGN_WEAR =
  /\b(?:cap|hat|beanie|tee|t-?shirt|shirt|hoodie|jumper|jacket|vest|badge|pin|button|sticker|lanyard)s?\s+(?:with|w\/|showing|bearing|saying)\s+(?:a\s+|an\s+|the\s+)?(?:[\p{L}-]+\s+)?(?:presidential|election|re-?election|electoral|political|party|mayoral|senate|congressional|parliamentary|leadership)\s+campaign\s+(?:slogans?|logos?|names?|badges?)\b/giu;
/** Two people of one sex taken for a couple ("Two females, appeared to be a couple (holding hands)"); not "a couple of bags", "a couple more". */
const SAME_SEX_COUPLE =
  /\b(?:(?:two|2|both)\s+(?:(?:young|older|elderly|middle-aged)\s+)?(?:women|females|girls|ladies|wahine|men|males|guys|blokes|lads|fellas|dudes)|both\s+(?:female|male)|(?:female|male)\s+pair|pair\s+of\s+(?:women|men|girls|guys|lads|blokes))\b(?:(?!\b(?:man|woman|men|women|guy|lady|bloke|he|she|said|says)\b)[^.!?\n]){0,60}?(?:\b(?:were|are|be|been|like|they['\u2019]re|theyre|obviously|clearly|probably|prob|def|definitely)\s+|,\s*)(?:a\s+)?(?:(?:(?:gay|lesbian|same-sex)\s+)?couple|partners|boyfriends|girlfriends|lovers)\b(?![\s-]+in[\s-]+(?:crime|business))(?=\s*(?:$|[.,;:!?()\u2014-]|holding\b|kissing\b|together\b|i\s+think\b|maybe\b|and\b|who\b))/giu;
/** A limb in a cast ("had a cast on his right arm", "leg in a cast"): an injury someone has; not "cast iron", "cast on" in knitting. */
const CAST =
  /\b(?:(?:(?:a|the)\s+)?(?:plaster\s+|fibreglass\s+|fiberglass\s+)?cast\s+on\s+(?:(?:his|her|their|one)\s+)?(?:(?:left|right|lower|upper)\s+)?(?:arm|leg|wrist|ankle|foot|hand|forearm)\b(?!\s+of\b)|(?:arm|leg|wrist|ankle|foot|hand|forearm)\s+(?:(?:was|is|still)\s+)*in\s+(?:a\s+(?:plaster\s+|fibreglass\s+|fiberglass\s+)?cast|plaster)\b)/giu;
/** Known before as the other sex ("previously known to us as a male under the name Matthew"). */
const KNOWN_AS_OTHER_SEX = /\b(?:previously|formerly|once|used\s+to\s+be)\s+known\s+(?:to\s+(?:us|staff|police|the\s+store)\s+)?as\s+(?:a\s+)?(?:male|man|female|woman|boy|girl|bloke|guy)\b(?=\s*(?:$|[.,;:!?)\u2014-]|under\b|named\b|called\b|now\b|but\b|until\b|before\b))/giu;
/** Due to give birth ("she's due in June", "she is due any day"); not a court date or a bill ("due in court", "rent due"). */
const DUE = /\b(?:she|she['\u2019]s|she\s+is|she\s+was|she['\u2019]d\s+be)\s+(?:(?:about|nearly|apparently|only|just)\s+)?due\s+(?:(?:in|next|this|around|on)\s+(?:January|February|March|April|May|June|July|August|September|October|November|December|spring|summer|autumn|fall|winter)|(?:in|within)\s+(?:a\s+)?(?:few|couple(?:\s+of)?|\d+|two|three|four|six)\s+(?:weeks|wks|months)|any\s+(?:day|minute|time)(?:\s+now)?)\b/giu;
/** Born in a place, written before "born" ("he's Cook Islands born", "she is Fiji-born"); a town of the markets says nothing. */
const PLACE_BORN = /\b(?:[Hh]e|[Ss]he|[Tt]hey)(?:['\u2019]s|\s+is|\s+was|\s+are|['\u2019]re|\s+were)\s+((?:\p{Lu}[\p{L}'\u2019]*(?:\s+|-)){1,3}?)born\b/gu;
/** Standing for election ("stood for council as a Green", "running for council as an independent"); not running for office supplies. */
const CANDIDATE = /\b(?:stood|standing|ran|runs|running|campaigning|campaigned)\s+for\s+(?:office|(?:the\s+)?(?:local\s+|city\s+|district\s+|regional\s+|town\s+|county\s+|state\s+)?(?:council|parliament|mayor|mayoralty|election|re-?election|congress|senate|school\s+board|local\s+board|community\s+board|seat\s+of\s+\p{L}+))\b(?=\s*(?:$|[.,;:!?)\u2014-]|(?:as|in|at|against|again|and|but|last|this|next|twice|once|before|years?|a\s+few)\b))/giu;
/** A date, a kiss with another of one's own kind ("on a date with another bloke"): "another" says the same sex. */
const WITH_ANOTHER = /\b(?:on\s+a\s+date|dating|kissing|kissed|snogging|holding\s+hands|making\s+out|hooking\s+up|hooked\s+up)\s+with\s+another\s+(?:bloke|man|guy|dude|fella|lad|woman|girl|lady|chick)\b(?!['\u2019]s)/giu;
/** Someone's church by its name ("told me he's Destiny Church", "she is Brethren church"). */
const NAMED_CHURCH = /\b(?:[Hh]e|[Ss]he|[Tt]hey)(?:['\u2019]s|\s+is|\s+was|\s+are|['\u2019]re)\s+(?:a\s+|from\s+)?(?:\p{Lu}[\p{L}'\u2019-]*\s+){1,3}(?:Church|church|Chapel|chapel|Tabernacle)\b/gu;
/** "a he/she": a slur on someone's gender (not a writer unsure whether it was he or she). */
const HE_SHE = /\b(?:a|an|the|some)\s+(?:he\/she|she\/he|he-she|she-he)\b(?=\s*(?:$|[.,;:!?)'"\u2019\u201d]|(?:who|that|was|is|came|walked|stole|took|swore|said|tried|had|ran|left|kept|at|in|with)\b))/giu;
/** Someone in a union ("is in the union and wants a rep", "joined the union", "a member of the carpenters union"; not "in the Union St store", "in the union car park"). */
const IN_UNION = /\b(?:(?:is|are|was|were|been|be|['\u2019]s)\s+(?:in|part\s+of)|joined|joining|join|member\s+of)\s+(?:the|a|their|his|her)\s+(?:[\p{L}'\u2019-]+\s+){0,3}?union\b(?=\s*(?:$|[.,;:!?)]|(?:and|so|but|now|too|here|since)\b|as\s+well\b|at\s+work\b|for\s+(?:\d+|years|ages|decades|a\s+while|a\s+long\s+time)\b))/giu;
/** Someone's own union ("her union sent her"; not a Union Jack, a credit union). */
const UNION_OF = /\b(?:his|her)\s+union\b(?!\s+(?:jack|flag|street|st|square|road|rd|bank|card\s+machine))(?=\s+(?:sent|told|said|says|rep|delegate|steward|organi[sz]er|meeting|dues|card|membership|is|was|has|had|wants|asked|called|rang|pays|paid|backs|backed|will|would|got)\b|\s*[.,;:!?)]|\s*$)/giu;
/** Two or more people of one colour ("both of them were white, early 20s"); not a van, a pair of shoes. */
const PEOPLE_COLOURED = /\b(?:both(?:\s+of\s+them)?|they|the\s+two(?:\s+of\s+them)?|all\s+(?:of\s+them|three|four|five))\s+(?:were|are|looked|seemed|appeared)\s+(?:both\s+|all\s+)?(?:white|black|brown|asian)\b(?=\s*(?:$|[,.;:!?)]|and\s+(?:early|late|mid|about|around|in\s+their|approx)|early|late|mid|\d))/giu;
/** In Alcoholics or Narcotics Anonymous ("Staff Ryan is in AA"); not AA batteries. */
const IN_AA = /\b(?:[Hh]e|[Ss]he|\p{Lu}\p{Ll}+)(?:(?:\s+(?:is|was|has\s+been)|['\u2019]s)\s+(?:been\s+)?in\s+AA|\s+(?:goes|went|going|attends|attended)\s+to\s+(?:AA|NA))\b(?=\s*(?:$|[.,;:!?)\u2014-]|and\s+(?:asked|is|was|has|doesn['\u2019]?t|won['\u2019]?t|can['\u2019]?t|hasn['\u2019]?t)|now|since|for\s+(?:years|months|a\s+(?:year|while))|meetings|every))/gu;
/** A limb missing below or above a joint ("left leg missing below the knee"). */
const LIMB_MISSING = /\b(?:(?:left|right)\s+)?(?:leg|arm|hand|foot)\s+(?:is\s+|was\s+)?(?:missing|amputated)\s+(?:below|above|from)\s+(?:the\s+)?(?:knee|elbow|wrist|ankle|shoulder|hip)\b/giu;
/** An Indigenous status card shown (Canada): who someone is, not what they bought. */
const STATUS_CARD = /\b(?:showed|show|shows|showing|has|had|presented|flashed|used|uses|produced)\s+(?:a|an|his|her|their)\s+(?:(?:indian|first\s+nations)\s+)?(?:status|treaty)\s+card\b/giu;
/** A churchgoer by the church's name ("Destiny Church bloke"). */
const CHURCH_PERSON = /\b(?:\p{Lu}[\p{L}'\u2019-]*\s+){1,3}(?:Church|Chapel|Tabernacle)\s+(?:bloke|man|guy|lady|woman|girl|boy|lad|fella|member|members|goer|goers|people|crowd|lot|type|mob)\b/gu;
/** Someone from a party ("Lady from the local Labour party"); not a party's office or its leaflets. */
const FROM_PARTY = /\b(?:[Ll]ady|[Ww]oman|[Mm]an|[Bb]loke|[Gg]uy|[Ff]ella|[Gg]entleman|[Cc]hap|[Gg]irl|[Ll]ad|[Ss]omeone|[Vv]olunteer)\s+from\s+the\s+(?:local\s+)?(?:Labour|Labor|Greens?|National|Nationals|Conservative|Liberal|Liberals|Reform|ACT|NZ\s+First|One\s+Nation|Democratic|Republican|NDP|Bloc|Libertarian|Lib\s+Dem|Liberal\s+Democrat|SNP|UKIP|Socialist|Communist|Green)\s+[Pp]arty\b(?!\s+(?:office|headquarters|hq|van|bus))/gu;
/** A flag worn as a cape ("Palestine flag draped round her shoulders"). */
const FLAG_WORN = /\b(?:(?:\p{Lu}[\p{L}'\u2019-]*\s+){1,2}flag\s+(?:draped|wrapped|tied|worn)\s+(?:round|around|over|on|across)\s+(?:his|her|their)\s+(?:shoulders|back|neck)|(?:draped|wrapped)\s+in\s+(?:a|an|the)\s+(?:\p{Lu}[\p{L}'\u2019-]*\s+){1,2}flag)\b/gu;
/** On methamphetamine, as New Zealand says it ("pretty sure hes on the P"): the capital P only, and not a car park's level. */
const ON_THE_P =
  /\b(?:(?:[Hh]e|[Ss]he|[Tt]hey|[Hh]es|[Ss]hes|[Hh]e['\u2019]s|[Ss]he['\u2019]s|[Tt]hey['\u2019]re|[Bb]een|[Ww]as|[Ii]s|[Aa]lways|[Oo]bviously|[Dd]ef|[Pp]rob|[Pp]robably|[Ss]ure|[Cc]learly|[Rr]eckon)\s+on\s+(?:the\s+)?P\b(?!['\u2019]?s\b|\s*(?:plates?|level|floor|deck|lot|shelf|section|aisle|row|bay|zone|\d|-))|[Oo]ff\s+(?:his|her|their)\s+(?:face|head|nut)\s+on\s+(?:the\s+)?P\b|P[\s-]?heads?\b)/gu;
/** A condition named by its capitalised initials after someone has it ("Our driver has MS", "man say he got TB"); not "1TB", "Ms Smith". */
const HAS_INITIALS =
  /\b(?:has|had|have|got|with|w\/|diagnosed\s+with|suffers\s+from|suffering\s+from|living\s+with)\s+(?:MS|TB|ALS|MND|COPD|CF)\b(?=\s*(?:$|[.,;:!?)\u2014-]|and\b|so\b|but\b|which\b|now\b|too\b|since\b|was\b|is\b|who\b|like\b|for\s+(?:years|ages|a\s+while|\d+)))/gu;
/** Withdrawal from a drug, as seen ("obviously withdrawing", "dope sick"); not withdrawing cash. */
const WITHDRAWING =
  /\b(?:obviously|clearly|probably|prob|def|definitely|he['\u2019]s|she['\u2019]s|hes|shes|was|is|been|looked|seemed)\s+(?:withdrawing(?=\s*(?:$|[.,;:!?)\u2014-]|and\b|bad\b|badly\b|hard\b|shaking\b|sweating\b))|dope\s*sick|hanging\s+out\s+for\s+(?:a\s+)?(?:hit|fix|shot))\b/giu;
/** Coming off a drug ("looked like he was coming off ice"); not prawns coming off ice, nor a shift on the ice. */
const COMING_OFF =
  /\b(?:he|she|they|i|hes|shes|he['\u2019]s|she['\u2019]s|was|were|been|is|are)\s+(?:coming|come|came)\s+(?:down\s+)?off\s+(?:the\s+)?(?:ice|meth|gear|heroin|smack|crack|drugs|pills|P)\b(?!\s+(?:duty|at|for|rink|time|shift|cream))/giu;
/** In a relationship with someone of one's own sex. */
const SAME_SEX_RELATIONSHIP = /\b(?:in|into)\s+a\s+same[-\s]sex\s+relationship\b/giu;
/** Votes for the Greens, with the capital ("votes Green"); not "voted green for the new aprons". */
const VOTES_GREEN = /\b(?:votes|voted|vote|voting)\s+Greens?\b(?!\s+(?:for\b|\p{Lu}))/gu;
/** A partner of the writer's noted sex: "offenders boyfriend (also male)". */
const PARTNER_ALSO =
  /\b(?:(his)|(her)|\p{L}+)?\s*(?:boyfriend|husband|bf|girlfriend|wife|gf|partner)\s*[(,-]?\s*also\s+(?:(male|a\s+man|a\s+guy|a\s+bloke)|(female|a\s+woman|a\s+girl))\b(?=\s*(?:$|[).,;:!?\u2014-]))/giu;
/** Someone dating someone of their own sex: "she dating the girl from bakery". */
const DATING = /\b(?:(she)|(he))(?:['\u2019]s|\s+is|\s+was|\s+has)?\s+(?:been\s+)?(dating|seeing|going\s+out\s+with|engaged\s+to|married\s+to)\s+(?:the|a|her|his|this|that)\s+(?:[\p{L}-]+\s+)?(?:(girl|woman|lady|chick|gf|girlfriend)|(guy|man|boy|bloke|bf|boyfriend|dude|lad))\b/giu;
/** Someone whose gender is not their look ("look like man but say she is woman", "he is actually woman, dress like man"). */
const SAYS_OTHER_SEX =
  /\b(?:(?:look(?:s|ed)?|dress(?:es|ed)?)\s+like\s+(?:a\s+)?(?:(man|guy|bloke|boy)|(woman|girl|lady))\b[^.!?\n]{0,40}?\b(?:say|says|said|tell|tells|told)\b[^.!?\n]{0,12}?\b(?:(she)|(he))(?:\s+is|['\u2019]s)\s+(?:a\s+)?(?:(woman|girl|lady|female)|(man|guy|boy|male))\b|\b(?:(she)|(he))(?:\s+is|['\u2019]s)\s+(?:actually|really)\s+(?:a\s+)?(?:(woman|girl|lady|female)|(man|guy|boy|male))\b)/giu;
/** Hormones for a gender ("he is on hormone for becoming woman"). */
const HORMONES = /\b(?:on|taking|takes|take|started)\s+(?:the\s+)?hormones?\s+(?:for|to)\s+(?:becoming|become|be|transition|transitioning)\b/giu;
/** Someone's transition as a verb ("she say she transition"); not to a shift or a job ("transitioned to nights"). */
const TRANSITIONED =
  /\b(?:she|he|they)\s+(?:is\s+|['\u2019]s\s+|was\s+|did\s+|had\s+|has\s+)?(?:transition|transitioned)\b(?!\s+(?:to|into|from|between|onto|over|out|back|at|on|the|an|well|smoothly|quickly|easily|shifts?|our|their|his|her)\b)(?!\s+a\s+(?!few\b|couple\b|year\b|while\b))/giu;
/** A cruising ground someone uses ("Known to use the beat at the park toilets"). */
const BEAT = /\b(?:use|uses|used|using|frequents?|frequented|(?:hangs?|hanging|hung)\s+(?:out\s+)?(?:at|around|round)|cruising|cruises)\s+(?:the\s+)?beats?\b(?![-\u2010]|\s+(?:of|up|box|display|headphones|stand|speakers?|pill|studio|solo))/giu;
/** Someone at prayer ("doing her midday prayers", "she was praying in the car"); not "praying he won't come back". */
const PRAYING =
  /\b(?:(?:doing|does|did|saying|says|said|do)\s+(?:her|his|their)\s+(?:[\p{L}-]+\s+)?prayers|(?:he|she|they)(?:['\u2019](?:s|re)|\s+(?:is|was|were|are))?\s+(?:\p{L}+\s+)?praying\b(?!\s+(?:that|he|she|it|we|they|for\s+the|the|you|i)\b))/giu;
/** Leave for a condition ("off on medical leave for anxiety"). */
const MEDICAL_LEAVE = /\b(?:medical|sick|stress|mental\s+health)\s+leave\s+(?:for|with|because\s+of|due\s+to|after)\s+(?:(?:her|his|their|a|an)\s+)?\p{L}+/giu;
/** Someone called "an illegal" (an immigrant), not an illegal turn or dump. */
const AN_ILLEGAL = /\b(?:an|the|some|those|bunch\s+of)\s+illegals?\b(?=\s*(?:$|[.,;:!?)\u2014-]|from\b|who\b|and\b|i\s+think\b|maybe\b|prob\b|probably\b))/giu;
/** A cross round someone's neck. */
const CROSS_ON_NECK = /\bcross(?:es)?\s+(?:on\s+a\s+(?:\p{L}+\s+)?chain\s+)?(?:round|around|on)\s+(?:his|her|their)\s+neck\b/giu;
/** A spouse of one's own sex: "M 40s w/ husband Steve", "the lady who helped is married to a woman". */
const SAME_SEX_SPOUSE =
  /(?:\b(?:M|[Mm]ale|[Mm]an|[Gg]uy|[Bb]loke|[Hh]e)\b[^.!?\n]{0,24}?\b(?:w\/|[Ww]ith|his|and\s+his|married\s+to)\s+(?:a\s+)?(?:husband|hubby|boyfriend|bf|man|guy)\b|\b(?:F|[Ff]emale|[Ww]oman|[Ll]ady|[Ss]he)\b[^.!?\n]{0,24}?\b(?:w\/|[Ww]ith|her|and\s+her|married\s+to)\s+(?:a\s+)?(?:wife|missus|girlfriend|gf|woman|lady)\b)/gu;
/** A Bible verse by book, chapter and verse ("John 3:16" across the knuckles) … */
const VERSE =
  /\b(?:[12]\s*)?(?:genesis|exodus|leviticus|deuteronomy|joshua|psalms?|proverbs|isaiah|jeremiah|ezekiel|micah|matthew|mark|luke|john|jn|acts|romans|corinthians|galatians|ephesians|philippians|timothy|hebrews|james|peter|revelations?)\s*\d{1,3}:\d{1,3}\b/giu;
/** … on someone: inked or worn (not "Mark 7:30" on a roster, nor a keyring in stock). */
const ON_SOMEONE = /\b(?:tatt?(?:oo(?:ed|s)?)?|inked|knuckles?|neck|forearms?|arms?|wrists?|hands?|chest|shirt|t-shirt|tee|hoodie|jumper|hat|cap|necklace|pendant)\b/iu;

/** The checks a shape's expression cannot make well: what its words are and what stands around them. */
function shapeHolds(re: RegExp, g: RegExpExecArray, text: string, homePlaces: ReadonlySet<string>): boolean {
  // A town of the markets is no one's origin ("back home in Hamilton").
  if (re === BACK_HOME) return !homePlaces.has((g[1] ?? '').toLowerCase());
  // "about six months along" alone is a refit's progress as well: only beside a woman or a pregnancy.
  // Not a thing's ("the refit is about six months along").
  if (re === MONTHS_ALONG && /^(?:about|around|roughly|approx|maybe|easily)\b/iu.test(g[0])) {
    const said = text.slice(sentenceAround(text, g.index, g.index).from, g.index);
    return (
      /\b(?:she|female|woman|lady|girl|wahine|mum|mom|mother|hapu|bump|pregnant|expecting)\b/iu.test(said) &&
      !/\b(?!she\b)\p{L}+(?:\s+(?:is|are|was|were)|['\u2019](?:s|re))(?:\s+(?:\p{L}+ly|now|only|just|still|already))?\s*$/iu.test(said) &&
      !/\b(?!female\b|woman\b|lady\b|girl\b|wahine\b|offender\b|suspect\b|customer\b|hapu\b|pregnant\b|expecting\b)\p{Ll}+,\s*$/u.test(said)
    );
  }
  if (re === PLACE_BORN) {
    const place = (g[1] ?? '').trim().replace(/-$/, '').replace(/\s+/g, ' ');
    // A day or a generation is no place ("Boxing Day born", "Gen X born").
    return !homePlaces.has(place.toLowerCase()) && !/\b(?:Day|Eve|Christmas|Easter|New|Year|Gen|Generation|Leap|January|February|March|April|May|June|July|August|September|October|November|December|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|Millennial|Boomer)\b/u.test(place);
  }
  const before = text.slice(Math.max(0, g.index - 12), g.index);
  const after = text.slice(g.index + g[0].length);
  // Due with a month alone at a clause's end ("she's due in June."), else only beside a pregnancy ("due any day, bump and all"): not a start date, a review, a payment.
  if (re === DUE) {
    const beside = PREGNANCY_CUES.test(sentenceOf(text, g));
    const month = /\b(?:in|next|this|around|on)\s+\p{L}+$/u.test(g[0]) && !/^\s+(?:to|for|back|at|in\s+court)\b/iu.test(after);
    const clauseEnds = !/^\s+\p{L}/u.test(after) || /^\s+(?:and|so|but|apparently|i\s+think)\b/iu.test(after);
    return beside || (month && clauseEnds);
  }
  // "another bloke" says the same sex only of someone of that sex, with no partner in view ("dating another man" behind her husband's back).
  if (re === WITH_ANOTHER) {
    const sentence = sentenceOf(text, g);
    if (/\b(?:ex|husband|hubby|wife|missus|boyfriend|girlfriend|partner|bf|gf|fianc[eé]e?)\b/iu.test(sentence)) return false;
    const hers = /(?:woman|girl|lady|chick)$/iu.test(g[0]);
    const said = [...text.slice(sentenceAround(text, g.index, g.index).from, g.index).matchAll(/\b(?:(he|him|his|man|male|bloke|guy|lad)|(she|her|woman|female|lady|girl))\b/giu)].pop();
    return !said || (hers ? !!said[2] : !!said[1]);
  }
  // Two or more people of a colour: not the utes or the trolleys just named; with an age after, or people before.
  if (re === PEOPLE_COLOURED) {
    const earlier = text.slice(Math.max(0, g.index - 120), g.index);
    if (/\b(?:utes?|vans?|cars?|trucks?|bikes?|trolleys?|bins?|shoes|trainers|sneakers|boots|bags?|boxes|cans|bottles|vehicles?|ones|pairs?|items?|tops|shirts|hoodies|jackets|caps|hats)\b/iu.test(earlier)) return false;
    return /^\s*(?:,\s*)?(?:and\s+)?(?:early|late|mid|about|around|in\s+their|approx|\d)/iu.test(after) || /\b(?:offenders?|males?|females?|men|women|guys|girls|boys|lads|blokes|people|teens|youths|kids|customers|suspects|pois?)\b/iu.test(earlier);
  }
  // A provincial rugby union, a league's: not a trade union.
  if (re === UNION_OF) return !/\b(?:rugby|league|player|club|footy|football)\b/iu.test(sentenceOf(text, g));
  // In the union: said of someone (he, she, they; never a kiosk, a locker, a state, a student union's bar), with a
  // trade union's word in the sentence unless a pronoun says who.
  if (re === IN_UNION) {
    const sentence = sentenceOf(text, g);
    if (/\b(?:rugby|league|player|club|footy|football|student|students|state|states|country|countries|EU|European|soviet|credit|bar|pub|kiosk|stall|shop|store)\b/iu.test(sentence)) return false;
    const pronoun = /\b(?:he|she|they|who)(?:['\u2019]s|\s+(?:has|had|have|is|was))?\s*$/iu.test(before);
    return pronoun || /\b(?:rep|reps|representative|delegate|steward|dues|member|membership|strike|striking|picket|organi[sz]er|grievance|collective|bargaining|wages?|pay\s+rise)\b/iu.test(sentence);
  }
  if (re === BEAT) return !/Beats$/.test(g[0]);
  // A flag on a person, not over a display or a hamper, nor a team's ("Fan draped in a Wallabies flag").
  if (re === FLAG_WORN) {
    const named = /(?:in\s+(?:a|an|the)\s+)?((?:\p{Lu}[\p{L}'\u2019-]*\s+){1,2})flag/u.exec(g[0])?.[1]?.trim() ?? '';
    if (/s$/.test(named) && named !== 'Greens') return false;
    if (/\b(?:table|display|hamper|hampers|shelf|counter|stand|box|gift|gifts|window|mannequin|bunting|fan|fans|supporter|supporters)\b/iu.test(text.slice(Math.max(0, g.index - 40), g.index + g[0].length + 20))) return false;
  }
  if (re === STATUS_CARD && /\b(?:lounge|rewards?|points|tier|gold|platinum|airline|loyalty|member\s+card|club)\b/iu.test(sentenceOf(text, g))) return false;
  // A church acting ("the Hope Church crowd booked the café"), a church's car park ("the Grace Chapel lot").
  if (re === CHURCH_PERSON && (/(?:lot|crowd|mob|people)$/iu.test(g[0]) || /^\s*(?:booked|dropped|collected|donated|rostered|hired|ran|run|organised|organized)\b/iu.test(after))) return false;
  // "came out last week to fix the chiller": a visit; coming out is told to someone, or named.
  if (re === COMING_OUT && !/\b(?:as|to\s+(?:his|her|their|my))\b/iu.test(g[0]) && (!/\b(?:gay|lesbian|queer|trans|bi|bisexual|closet|told\s+(?:the\s+)?(?:whole\s+)?(?:\p{L}+\s+)?(?:family|club|team|everyone|parents|friends|mates|world))\b/iu.test(sentenceOf(text, g)) || /^\s*(?:to\s+(?:fix|check|do|see|help|look|service|deliver|install|repair)|and\s+(?:grabbed|took|got|went|fixed|checked))\b/iu.test(after))) return false;
  if (re === LIMB_MISSING && /\b(?:mannequins?|dummy|dummies|statue|doll|toy|figure|trousers|jeans|pants|sleeve|shirt|jacket|santa)\b/iu.test(sentenceOf(text, g))) return false;
  // Pronoun merch taken off a stand ("grabbed a they/them enamel pin off the pride stand"), not pronouns worn or said.
  if (re === PRONOUNS && /^\s+(?:enamel\s+)?(?:pins?|badges?|stickers?|tees?|t-shirts?|shirts?|keyrings?|buttons?|patch(?:es)?|merch|mugs?)\b/iu.test(after) && /\b(?:off|from)\s+the\s+(?:[\p{L}-]+\s+)?(?:stand|display|rack|shelf|table|counter|wall|hook|bin)\b/iu.test(sentenceOf(text, g)) && !/\b(?:wearing|wore|wears|had\s+on|on\s+(?:his|her|their)|with\s+a|had\s+a)\b/iu.test(sentenceOf(text, g))) return false;
  // A church's hall, shop or food bank is where someone works or comes from, not their faith.
  if (re === NAMED_CHURCH) return !/^\s+(?:st|street|rd|road|lane|ave|avenue|car\s*park|hall|shop|op\s*shop|food\s*bank|cafe|kindy|kindergarten|pre-?school|school|centre|center|committee|youth|group|choir|bus|van|office|fair|fete|market|foodbank|pantry|thrift)\b/iu.test(after);
  // "been seeing a lady from the budgeting service": an appointment, not a date.
  if (re === DATING && /seeing/iu.test(g[3] ?? '') && /^[^.!?\n]{0,40}?\b(?:service|clinic|counter|office|agency|council|bank|winz|centrelink|appointment|about|regarding|doctor|nurse|counsellor)\b/iu.test(after)) return false;
  if (re === WORSHIP) {
    // Words before the place of worship are its name ("Destiny Church", "St Mary's"), not "the shop on Church St";
    // a capitalised word after it makes it a place's name ("Temple Bar", "Chapel Hill").
    const named = (g[1] ?? '').split(/\s+/).filter(Boolean);
    if (/^went to/iu.test(g[0]) && !HABIT.test(after)) return false;
    // Praying is worship wherever it is ("praying in the temple car park").
    return named.every((w) => /^\p{Lu}/u.test(w)) && (/^(?:pray|worship)/iu.test(g[0]) || !NOT_WORSHIP_AFTER.test(after)) && !ON_DUTY.test(text.slice(Math.max(0, g.index - 20), g.index));
  }
  if (re === GATHERING) {
    // The month ("since March"), a gathering that is not political, or words that say the person was only near it.
    const gap = (g[1] ?? '').split(/\s+/).filter(Boolean);
    // "March" is a month unless it ends a name ("the Climate March").
    if ((g[2] === 'March' && !/^\p{Lu}/u.test(gap.at(-1) ?? '')) || NOT_POLITICAL_GATHERING.test(g[0])) return false;
    // At most two words between, or a name ("the Freedom and Rights Coalition protest").
    if (gap.length <= 2) return gap.every((w) => !NOT_A_GAP.test(w));
    return /^\p{Lu}/u.test(gap[0]!) && gap.every((w) => /^\p{Lu}/u.test(w) || /^(?:and|for|of)$/.test(w));
  }
  // "There used to be a man on the door", "he used to be a guy who came in daily", "used to be a male changing room".
  if (re === FORMER_SEX) return !/\b(?:there|it|this|manager|supervisor|roster|shift|cover|role|position|job|boss|lead)\s*$/iu.test(before.replace(/\s*(?:used\s+to\s+be|was)\s*$/iu, '')) && !/^\s+(?:who|that|on|at|in|behind|working)\b/iu.test(after) && !(/(?:male|female)$/iu.test(g[0]) && /^\s+\p{L}/u.test(after));
  // "he's been clean", "she has stayed sober": someone's, not the floor's ("the floor has been clean for 2 days").
  // Clean (not sober) for a time says recovery only beside a drug or a recovery word ("clean for five years, no points on his licence" is a driving record).
  if (re === SOBER && /\bclean\b/iu.test(g[0]) && !/\boff\b/iu.test(g[0]) && !RECOVERY_CUES.test(text)) return false;
  if (re === SOBER && /^(?:been|stayed|staying)\b/iu.test(g[0]))
    return /\b(?:he|she|i|who|hes|shes|ive|he['\u2019]s|she['\u2019]s|i['\u2019]ve|he['\u2019]d|she['\u2019]d)(?:\s+(?:has|had|have|just|only|now))*\s*$/iu.test(text.slice(Math.max(0, g.index - 24), g.index));
  // Fasting says a faith only in its season.
  // "Lent" as the season, not "I lent him my pen"; and not fasting for a blood test.
  if (re === FASTING)
    return (
      (/\b(?:ramadan|ramazan|yom kippur|navratri|ekadashi)\b/iu.test(text) || /\bLent\b/u.test(text) || /\b(?:for|during|in|it'?s)\s+lent\b/iu.test(text) || /^\s*lent\b/iu.test(text)) &&
      !/^\s+(?:for\s+)?(?:a\s+|the\s+|his\s+|her\s+)?(?:blood\s+test|surgery|operation|procedure|scan|test)/iu.test(text.slice(g.index + g[0].length))
    );
  // The sex said is not the pronoun's: "she is man now" (not "she was a girl before she married").
  if (re === SEX_CHANGED) return (!!g[1] && !!g[3]) || (!!g[2] && !!g[4]);
  // "saw him run off and hide in the gay bar": where someone went, not where they are seen.
  // Two people of one sex: "she … the girl", "he … the guy".
  // "seeing the man at the door out", "going out with the girl from accounts for lunch" are not dates.
  if (re === DATING)
    return (
      ((!!g[1] && !!g[4]) || (!!g[2] && !!g[5])) &&
      !(/^(?:seeing|going)/iu.test(g[3] ?? '') && (/^\s*(?:out|off|about|for|at|to|into|through|in)\b/iu.test(after) || /^[^.!?\n]{0,30}?\bfor\s+(?:lunch|coffee|a\s+drink|dinner|a\s+smoke|a\s+break|break)\b/iu.test(after)))
    );
  // "his boyfriend also male": the owner's sex as the partner's.
  if (re === PARTNER_ALSO) return !((!!g[1] && !!g[4]) || (!!g[2] && !!g[3]));
  // The sex someone looks or dresses as is not the one said ("look like man … she is woman"), or "he is actually woman".
  // Not a writer correcting their own pronoun ("I wrote he but he's actually a female").
  if (re === SAYS_OTHER_SEX && /\b(?:correction|i\s+wrote|typo|meant\s+to\s+(?:write|say)|my\s+mistake|my\s+bad)\b/iu.test(text)) return false;
  if (re === SAYS_OTHER_SEX) return (!!g[1] && !!g[5]) || (!!g[2] && !!g[6]) || (!!g[7] && !!g[10]) || (!!g[8] && !!g[9]);
  if (re === GAY_VENUE) return !(g[1] ?? '').split(/\s+/).some((w) => WAYS_OF_GOING.test(w));
  // "he/they" beside how someone is called, not a writer unsure how many it was.
  if (re === MIXED_PRONOUNS) return /\b(?:pronouns?|goes\s+by|go\s+by|uses)\b[^.!?\n]{0,20}$/iu.test(text.slice(0, g.index));
  return true;
}

const capitalised = (t: Token | undefined) => !!t && /^\p{Lu}/u.test(t.text) && !t.punct;
const wordish = (t: Token | undefined) => !!t && !t.punct && /^\p{L}[\p{L}'-]*$/u.test(t.text);

/** Each shape with its category, its term and the key words without one of which it cannot match. */
const SHAPES: readonly (readonly [RegExp, string, string, readonly string[]])[] = [
  [WORSHIP, 'religion', 'place of worship', WORSHIP_KEYS],
  [GATHERING, 'political', 'political gathering', GATHERING_KEYS],
  [PRONOUNS, 'gender-identity', 'pronouns', ['/']],
  [MIXED_PRONOUNS, 'gender-identity', 'pronouns', ['pronoun*', 'goes by', 'go by', 'uses']],
  [FORMER_SEX, 'gender-identity', 'former sex', ['born', 'used to be']],
  [SEX_CHANGED, 'gender-identity', 'former sex', ['now', 'before']],
  [FASTING, 'religion', 'fasting', ['fasting']],
  [CHANGED_SEX, 'gender-identity', 'change sex', ['sex']],
  [GAY_VENUE, 'sexual-orientation', 'gay venue', ['gay', 'lesbian', 'queer']],
  [MONTHS_ALONG, 'health', 'pregnancy', ['along', 'pregnant']],
  [BACK_HOME, 'national-origin', 'home country', ['back home']],
  [COMING_OUT, 'sexual-orientation', 'coming out', ['come', 'came', 'coming', 'comes']],
  [GAY_SCENE, 'sexual-orientation', 'gay scene', ['scene']],
  [SOBER, 'health', 'recovery', ['clean', 'sober']],
  [CALL_ME, 'gender-identity', 'pronouns', ['call', 'called']],
  [CAMPAIGN_WEAR, 'political', 'campaign slogan', ['campaign']],
  [SAME_SEX_COUPLE, 'sexual-orientation', 'same-sex couple', ['couple', 'partners', 'boyfriends', 'girlfriends', 'lovers']],
  [CAST, 'health', 'limb in a cast', ['cast', 'plaster']],
  [KNOWN_AS_OTHER_SEX, 'gender-identity', 'former sex', ['known']],
  [HAS_INITIALS, 'health', 'condition', ['ms', 'tb', 'als', 'mnd', 'copd', 'cf']],
  [WITHDRAWING, 'health', 'drug use', ['withdrawing', 'dope*', 'hanging out']],
  [COMING_OFF, 'health', 'drug use', ['coming', 'come', 'came']],
  [BEAT, 'sexual-orientation', 'cruising', ['beat*']],
  [SAME_SEX_SPOUSE, 'sexual-orientation', 'partner of the same sex', ['husband', 'hubby', 'boyfriend', 'bf', 'wife', 'missus', 'girlfriend', 'gf', 'married']],
  [PRAYING, 'religion', 'prayer', ['prayer*', 'praying']],
  [MEDICAL_LEAVE, 'health', 'medical leave', ['leave']],
  [AN_ILLEGAL, 'national-origin', 'illegal immigrant', ['illegal*']],
  [CROSS_ON_NECK, 'religion', 'cross worn', ['cross*']],
  [SAME_SEX_RELATIONSHIP, 'sexual-orientation', 'same-sex relationship', ['relationship']],
  [VOTES_GREEN, 'political', 'votes green', ['green*']],
  [PARTNER_ALSO, 'sexual-orientation', 'partner of the same sex', ['also']],
  [DATING, 'sexual-orientation', 'partner of the same sex', ['dating', 'seeing', 'going out', 'engaged', 'married']],
  [SAYS_OTHER_SEX, 'gender-identity', 'gender', ['like', 'actually', 'really']],
  [HORMONES, 'gender-identity', 'hormones', ['hormone*']],
  [TRANSITIONED, 'gender-identity', 'transition', ['transition*']],
  [ON_THE_P, 'health', 'drug use', ['on p', 'the p', 'p head*', 'phead*', 'p-head*']],
  [DUE, 'health', 'pregnancy', ['due']],
  [PLACE_BORN, 'national-origin', 'place of birth', ['born']],
  [CANDIDATE, 'political', 'candidate', ['council', 'parliament', 'mayor', 'mayoralty', 'office', 'election', 'reelection', 're-election', 'congress', 'senate', 'board', 'seat']],
  [WITH_ANOTHER, 'sexual-orientation', 'partner of the same sex', ['another']],
  [NAMED_CHURCH, 'religion', 'church', ['church', 'chapel', 'tabernacle', 'assembly', 'fellowship']],
  [HE_SHE, 'gender-identity', 'gender', ['/', 'he-she', 'she-he']],
  [UNION_OF, 'union', 'union member', ['union']],
  [IN_UNION, 'union', 'union member', ['union']],
  [PEOPLE_COLOURED, 'ethnicity-race', 'colour', ['white', 'black', 'brown', 'asian']],
  [IN_AA, 'health', 'recovery', ['aa', 'na']],
  [LIMB_MISSING, 'health', 'missing limb', ['missing', 'amputated']],
  [STATUS_CARD, 'ethnicity-race', 'status card', ['status', 'treaty']],
  [CHURCH_PERSON, 'religion', 'church', ['church', 'chapel', 'tabernacle']],
  [FROM_PARTY, 'political', 'party member', ['party']],
  [FLAG_WORN, 'political', 'flag worn', ['flag']],
];
/**
 * Every key: a whole word or words where the shape reads it ("cross", not "across"; "came", not
 * "cameras"), any run of spaces between its words; with a star, a word's start ("protest*":
 * "protests", "protesters"); "/" anywhere.
 */
const KEYS = [...new Set(SHAPES.flatMap(([, , , keys]) => keys))].sort((x, y) => y.length - x.length);
const keyAlternation = (keys: string[]) =>
  keys
    .map((k) => k.replace(/\*$/, '').replace(/[.*+?^${}()|[\]\\/]/g, '\\$&').replace(/ /g, '\\s+'))
    .join('|');
/** At each place of the text, the key starting there (a look-ahead, so that keys overlapping each other are all found). */
const KEY_SCAN = new RegExp(
  `\\b(?=(${keyAlternation(KEYS.filter((k) => /^[a-z]/.test(k) && !k.endsWith('*')))})\\b|(${keyAlternation(KEYS.filter((k) => k.endsWith('*')))}))`,
  'g',
);
/** Keys that start otherwise ("/"), looked for anywhere. */
const OTHER_KEYS = KEYS.filter((k) => !/^[a-z]/.test(k));

/** The keys that occur in `lower`, in one pass. */
function keysIn(lower: string): Set<string> {
  const present = new Set<string>();
  for (const m of lower.matchAll(KEY_SCAN)) present.add((m[1] ?? `${m[2]!}*`).replace(/\s+/g, ' '));
  for (const k of OTHER_KEYS) if (lower.includes(k)) present.add(k);
  return present;
}

/**
 * Whether a rule below can start at the trigger `m` (a necessary condition read from the raw
 * text, never stricter than the rule): a sentence is parsed only for a trigger that may fire.
 * "from the shelf" names no place, "his bag" no partner; most triggers in a report are such. The
 * parse drops spaces, so the rule's neighbours are runs of non-spaces within the sentence, however
 * far apart; a run holds one token or more ("wasn't" is "was" and "n't").
 */
function mayFire(text: string, m: RegExpExecArray): boolean {
  const word = m[0].toLowerCase().replace(/\s+/g, ' ');
  const end = m.index + m[0].length;
  const { from, to } = sentenceAround(text, m.index, end);
  const after = text.slice(end, to);
  const before = text.slice(from, m.index);
  const runsBefore = (n: number) => before.split(/\s+/).slice(-n).join(' ');
  const runsAfter = () => after.split(/\s+/).filter(Boolean);
  // The token before is capitalised: the last run before holds a capital.
  const capitalBefore = () => /\p{Lu}\S*\s*$/u.test(before);
  // A place, a nationality: the next token is capitalised.
  if (word === 'from' || word === 'born in') return /^\s+\p{Lu}/u.test(after);
  if (word === 'missing') return runsAfter().slice(0, 5).some((r) => /\b(?:arm|leg|hand|foot|eye|fingers?|thumb|toes?)\b/i.test(r));
  if (IDENTIFIES.test(word) || PRESENTS.test(word)) return /^\s*as(?![a-z])/i.test(after) || (PRESENTS.test(word) && GENDERS.has(runsAfter()[0]?.toLowerCase().replace(/[^\p{L}-]+$/u, '') ?? ''));
  if (ORIGIN_NOUNS.has(word)) return capitalBefore() || /\bof\s+\S+\s*$/i.test(before);
  if (DESCRIPTOR_NOUNS.has(word) || POLITICAL_NOUNS.has(word)) return capitalBefore();
  if (PERCEIVED.has(word)) {
    const next = runsAfter();
    let n = 0;
    while (n < next.length && PERCEIVED_SKIP.test(next[n]!.toLowerCase())) n++;
    return n < next.length && /^\p{Lu}/u.test(next[n]!);
  }
  // A partner's owner ("his", "her", "he has got a", "the bloke's"); a condition's cue ("has", "with", "his", "wasn't").
  const partner = word.replace(/^ex-?/, '');
  if (HIS_PARTNERS.test(partner) || HER_PARTNERS.test(partner) || word === 'partner') return /\b(?:his|her|he|she|hes|shes)\b|['\u2019]s\b/i.test(runsBefore(8));
  if (CONDITION_NOUNS.has(word) || MEDICAL.test(word))
    return /\b(?:has|had|have|having|with|w|suffers|suffering|suffered|diagnosed|his|her|their|hes|shes|is|was)(?:\b|n['\u2019]t)/i.test(runsBefore(6));
  // "appear", "seem", "sound": no rule starts there.
  return false;
}

/** The trigger words of `text` and its words of medical form, in the order they appear. */
function triggersIn(text: string): RegExpExecArray[] {
  const found = [...text.matchAll(TRIGGER), ...text.matchAll(MEDICAL_WORD)] as RegExpExecArray[];
  return found.sort((a, b) => a.index - b.index);
}

/** `homePlaces`: towns, regions and accents of the markets, which say nothing of national origin ("he's from Hamilton", "Scouse accent"). */
export function findDescriptionPatterns(text: string, homePlaces: ReadonlySet<string> = new Set()): PatternFinding[] {
  const found: PatternFinding[] = [];
  const seen = new Set<string>();
  VERSE.lastIndex = 0;
  // A verse has a colon (most texts have none, and the books' alternation is long).
  for (let v = text.includes(':') ? VERSE.exec(text) : null; v; v = VERSE.exec(text)) {
    const { sentence } = parsedAround(text, v.index, v.index + v[0].length);
    if (seen.has('verse') || !ON_SOMEONE.test(sentence)) continue;
    found.push({ term: 'bible verse', category: 'religion', phrase: v[0] });
    seen.add('verse');
  }
  // Each shape only where its key word is (one search for every key is far cheaper than the shapes' expressions).
  const present = keysIn(text.toLowerCase());
  for (const [re, category, term, keys] of SHAPES) {
    if (!keys.some((k) => present.has(k))) continue;
    re.lastIndex = 0;
    for (let g = re.exec(text); g; g = re.exec(text)) {
      if (seen.has(term) || !shapeHolds(re, g, text, homePlaces)) continue;
      found.push({ term, category, phrase: g[0] });
      seen.add(term);
    }
  }
  let parsedTo = -1;
  for (const m of triggersIn(text)) {
    if (m.index < parsedTo || !mayFire(text, m)) continue;
    const { to, sentence, tokens } = parsedAround(text, m.index, m.index + m[0].length);
    parsedTo = to;
    const add = (term: string, category: string, a: number, b: number) => {
      const key = `${term}|${category}`;
      if (seen.has(key)) return;
      seen.add(key);
      found.push({ term, category, phrase: sentence.slice(tokens[a]!.start, tokens[b]!.end) });
    };
    /** A town, region or accent of the markets ends right before token k ("Gold Coast accent", "Scouse accent"). */
    const homeBefore = (k: number) => {
      for (let n = 1; n <= 3 && capitalised(tokens[k - n]); n++)
        if (homePlaces.has(tokens.slice(k - n, k).map((x) => x.lower.replace(/['\u2019]/g, '')).join(' '))) return true;
      return false;
    };
    tokens.forEach((t, k) => {
      const prev = tokens[k - 1];
      // "missing left arm", "missing two fingers on his right hand" (not "missing stock", "missing the bus").
      if (t.lower === 'missing') {
        let n = k + 1;
        while (tokens[n] && LIMB_SKIP.test(tokens[n]!.lower) && n < k + 4) n++;
        // "missing hand sanitiser", "missing eye shadow": the limb word names stock.
        const modifies = !!tokens[n + 1] && !tokens[n + 1]!.punct && (tokens[n + 1]!.pos === 'NOUN' || tokens[n + 1]!.pos === 'PROPN');
        if (tokens[n] && LIMBS.test(tokens[n]!.lower) && !modifies) add(`missing ${tokens[n]!.lower}`, 'health', k, n);
      }
      // "identifies as female", "identified as a woman": a gender someone identifies with.
      if ((IDENTIFIES.test(t.lower) || PRESENTS.test(t.lower)) && tokens[k + 1]?.lower === 'as') {
        const n = /^(?:a|an)$/.test(tokens[k + 2]?.lower ?? '') ? k + 3 : k + 2;
        if (tokens[n] && GENDERS.has(tokens[n]!.lower) && !(t.lower === 'identified' && SEXES.has(tokens[n]!.lower))) add(tokens[n]!.lower, 'gender-identity', k, n);
      }
      // "ID says male but presents female": presenting as a gender, with "as" left out (not "presented female ID").
      const shown = tokens[k + 1];
      // Someone's ("ID says male but", "he", "the customer"), not a display's or a hose fitting's.
      const someone = tokens.slice(Math.max(0, k - 6), k).some((u) => /^(?:he|she|they|id|customer|offender|poi|person|someone|guy|bloke|man|woman|male|female)$/.test(u.lower));
      if (PRESENTS.test(t.lower) && shown && GENDERS.has(shown.lower) && someone && (!tokens[k + 2] || tokens[k + 2]!.punct)) add(shown.lower, 'gender-identity', k, k + 1);
      // "of Tamil heritage", "of tongan descent": any word before a noun of origin, after "of".
      if (ORIGIN_NOUNS.has(t.lower) && wordish(prev) && !NOT_AN_ORIGIN.has(prev!.lower) && tokens[k - 2]?.lower === 'of') add(prev!.lower, 'ethnicity-race', k - 2, k);
      // "Kurdish background", "Tamil appearance", "Kiwi accent", "Eritrean national": a capitalised word before a descriptor noun.
      // Not a team or a party by its name ("Washington Nationals cap").
      // Nor a month or an event ("Sikh Heritage Month poster").
      const after1 = tokens[k + 1];
      const occasion = !!after1 && ((/^(?:Month|Week|Day|Festival|Celebration|Night|Fair|Parade|Trail|Centre|Center|Museum)$/.test(after1.text)) || /^(?:poster|display|event|sale|parade|trail|museum)$/.test(after1.text));
      if ((DESCRIPTOR_NOUNS.has(t.lower) || ORIGIN_NOUNS.has(t.lower)) && capitalised(prev) && k - 1 > 0 && !NOT_AN_ORIGIN.has(prev!.lower) && !homeBefore(k) && t.text !== 'Nationals' && !occasion) add(prev!.lower, 'national-origin', k - 1, k);
      // At a sentence's start only an acronym ("XR activist"): a capital there says nothing of a name.
      if (POLITICAL_NOUNS.has(t.lower) && capitalised(prev) && (k - 1 > 0 || /^\p{Lu}{2,}$/u.test(prev!.text))) add(prev!.lower, 'political', k - 1, k);
      // "looked Tongan", "appeared to be Eritrean": a capitalised word ending what someone looked or sounded.
      if (PERCEIVED.has(t.lower)) {
        let n = k + 1;
        while (tokens[n] && PERCEIVED_SKIP.test(tokens[n]!.lower)) n++;
        const after = tokens[n + 1];
        if (capitalised(tokens[n]) && tokens[n]!.pos !== 'PRON' && (!after || after.punct || after.pos === 'CCONJ' || after.pos === 'ADP'))
          add(tokens[n]!.lower, 'national-origin', k, n);
      }
      // "he's from Lagos", "originally from Fiji", "born in Tonga".
      const bornIn = t.lower === 'in' && prev?.lower === 'born';
      let s = k - 1;
      while (s > 0 && s > k - 4 && FROM_SKIP.test(tokens[s]!.lower)) s--;
      const who = tokens[s]?.lower ?? '';
      // After "just over", only "be" says where someone is from ("he's just over from Tonga", not "came over from Countdown").
      const linked = s < k - 1 ? /^(?:is|was|are|were|'s|\u2019s|'re|\u2019re)$/.test(who) : LINKING.test(who);
      if ((t.lower === 'from' && ((s === k - 1 && FROM_SUBJECT.test(who)) || (linked && FROM_SUBJECT.test(tokens[s - 1]?.lower ?? '')))) || bornIn) {
        let n = k + 1;
        while (capitalised(tokens[n]) && !NOT_A_PLACE.test(tokens[n]!.lower)) n++;
        const place = tokens.slice(k + 1, n);
        const after = tokens[n];
        if (place.length && place.length <= 3 && !homePlaces.has(place.map((p) => p.lower).join(' ')) && (!after || after.punct || after.pos === 'CCONJ' || after.pos === 'ADP' || after.pos === 'ADV'))
          add(place.map((p) => p.lower).join(' '), 'national-origin', bornIn ? k - 1 : k, n - 1);
      }
      // "his boyfriend", "her ex-girlfriend": a partner of the same sex as its owner ("ex - girlfriend" as three tokens too).
      const partner = t.lower.replace(/^ex-?/, '');
      if (HIS_PARTNERS.test(partner) || HER_PARTNERS.test(partner)) {
        let o = k - 1;
        if (tokens[o]?.text === '-' && tokens[o - 1]?.lower === 'ex') o -= 2;
        else if (tokens[o]?.lower === 'ex' || tokens[o]?.lower === 'ex-') o -= 1;
        // "the woman's wife", "the bloke's husband": a person's partner, as "her wife" and "his husband".
        const ownerNoun = /^['\u2019]s$/.test(tokens[o]?.lower ?? '') ? tokens[o - 1]?.lower ?? '' : '';
        // "she's got a girlfriend", "he has a husband": a partner someone has, as "her girlfriend".
        let h = o;
        if (/^(?:a|an)$/.test(tokens[h]?.lower ?? '')) h--;
        if (tokens[h]?.lower === 'got') h--;
        const has = h < o && /^(?:has|had|have|'s|\u2019s|'ve)$/.test(tokens[h]?.lower ?? '') ? (tokens[h - 1]?.lower ?? '') : '';
        const haver = has === 'he' ? 'his' : has === 'she' ? 'her' : /^(?:hes|he's|he\u2019s)$/.test(tokens[h]?.lower ?? '') ? 'his' : /^(?:shes|she's|she\u2019s)$/.test(tokens[h]?.lower ?? '') ? 'her' : '';
        const owner = HIS_OWNERS.test(ownerNoun) ? 'his' : HER_OWNERS.test(ownerNoun) ? 'her' : haver || tokens[o]?.lower;
        // "her Girlfriend Collective leggings": a brand.
        const brand = capitalised(t) && capitalised(tokens[k + 1]);
        // After "has/got a", the partner must end its phrase: not "a wife beater singlet", "a husband pillow", "a husband and wife team", "a girlfriend's card".
        const after = tokens[k + 1];
        const andPartner = after?.lower === 'and' && /^(?:wife|husband)$/.test(tokens[k + 2]?.lower ?? '');
        const ends = !haver || !after || (after.punct && !/^[-\u2010-\u2015]$/.test(after.text) && !/^['\u2019]s$/.test(after.lower)) || (/^(?:who|that|at|in|and|but|so)$/.test(after.lower) && !andPartner);
        if (!brand && ends && ((owner === 'his' && HIS_PARTNERS.test(partner)) || (owner === 'her' && HER_PARTNERS.test(partner)))) add(partner, 'sexual-orientation', ownerNoun ? o - 1 : haver ? h - (has ? 1 : 0) : o, k);
      }
      // "his partner is another bloke", "her partner's a woman": a partner of the same sex as its owner.
      if (t.lower === 'partner' && /^(?:his|her)$/.test(prev?.lower ?? '') && /^(?:is|was|'s|\u2019s)$/.test(tokens[k + 1]?.lower ?? '')) {
        let n = k + 2;
        while (n < k + 5 && /^(?:a|an|another|also|too)$/.test(tokens[n]?.lower ?? '')) n++;
        const sex = HIS_OWNERS.test(tokens[n]?.lower ?? '') ? 'his' : HER_OWNERS.test(tokens[n]?.lower ?? '') ? 'her' : '';
        if (sex === prev!.lower) add('partner', 'sexual-orientation', k - 1, n);
      }
      // A condition by its medical form, in a person's cue: "has psoriasis", "with Marfan syndrome".
      const medical = (MEDICAL.test(t.lower) && !NOT_MEDICAL.has(t.lower)) || (CONDITION_NOUNS.has(t.lower) && wordish(prev));
      if (medical) {
        const first = CONDITION_NOUNS.has(t.lower) ? k - 1 : k;
        const cue = tokens.slice(Math.max(0, first - 3), first).find((c) => CONDITION_CUES.has(c.lower));
        const next = tokens[k + 1];
        const namesAThing = !!next && (next.pos === 'NOUN' || next.pos === 'PROPN') && !CONDITION_NOUNS.has(next.lower);
        if (cue && !namesAThing) add(tokens.slice(first, k + 1).map((x) => x.lower).join(' '), 'health', tokens.indexOf(cue), k);
      }
    });
  }
  return found;
}
