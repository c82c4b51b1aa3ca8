import { screenText } from '../../../shared/domain/screening';

/** [text, terms that trip with the words they were judged in] — the cases and their kin. */
const DESCRIBES_A_PERSON: [string, [string, string][]][] = [
  ['looked Indian, about 30', [['indian', 'looked Indian']]],
  ['appeared to be of Asian descent', [['asian', 'Asian descent']]],
  ['of Lebanese background, tall', [['lebanese', 'Lebanese background']]],
  ['possibly a Chinese national', [['chinese', 'Chinese national']]],
  ['spoke with a thick Irish accent', [['irish', 'Irish accent']]],
  ['a known Greens activist, filmed staff', [['greens', 'Greens activist']]],
  ['Labour supporter, kept ranting', [['labour supporter', 'Labour supporter']]],
  ['two Samoan lads took a slab', [['samoan', 'Samoan lads']]],
  ['male, Asian, 30s, black hoodie', [['asian', 'Asian']]],
  ['male, white, 5\'10, blue jeans', [['white', 'white']]],
  ['he was black, about 25', [['black', 'was black']]],
  ['Muslim woman in a hijab', [['muslim', 'Muslim woman'], ['hijab', 'hijab']]],
  ['has diabetes, was shaky', [['diabetes', 'has diabetes']]],
  ['on the methadone programme', [['methadone', 'on the methadone']]],
  ['in a wheelchair, put batteries in his lap', [['in a wheelchair', 'in a wheelchair']]],
  ['sikh security guard from next door chased him', [['sikh', 'sikh security guard']]],
  ['union badge on his hi vis', [['union', 'union badge']]],
  ['muslim-looking male', [['muslim', 'muslim-looking male']]],
  ['he is straight, married with kids', [['straight', 'is straight']]],
  ['says he is straight in case anyone asks', [['straight', 'is straight']]],
  ['male, black hoodie, black, about 20', [['black', 'black']]],
  ['black male, white cap', [['black male', 'black male']]],
  ['insulin pump clipped to her belt', [['insulin pump', 'insulin pump clipped']]],
  ['our checkout girl is in the SDA', [['sda', 'is in the SDA']]],
  ['one of the freedom convoy lot, yelled at staff', [['freedom convoy', 'freedom convoy lot']]],
  ['one of the travellers from the camp, young lad', [['traveller', 'one of the travellers']]],
  ['he is straight to be honest', [['straight', 'is straight']]],
  ['korean studnet approx 20', [['korean', 'korean studnet']]],
  // Sets C and G (developed on after their figures were read), in their kin's words.
  ["he is on our methadone program, came in for his script", [["methadone","on our methadone program"]]],
  ["a Libertarian party activist w a clipboard", [["libertarian","Libertarian party activist"],["party activist","party activist"]]],
  ["dude was def gay super feminine voice pink crop top", [["gay","was def gay"]]],
  ["described by the guard as Aboriginal, mid 30s", [["aboriginal","described by the guard as Aboriginal"]]],
  ["older guy in a priest collar stood by the door", [["priest","priest collar"]]],
  ["had been handing out Reform UK leaflets in the car park", [["reform uk","Reform UK leaflets"]]],
  ["said he is a PPC member", [["ppc","PPC member"]]],
  ["one of the posties from the CUPW picket", [["cupw","CUPW picket"]]],
  ["Male said he's just over from Tonga and didn't know the rules", [["tonga","from Tonga"]]],
  ["medical alert bracelet that says Anaphylaxis – peanuts", [["anaphylaxis","says Anaphylaxis"]]],
  ["compression sleeve on her arm for lymphoedema", [["lymphoedema","lymphoedema"]]],
  ["Witness identified the offender as her ex-girlfriend", [["girlfriend","her ex-girlfriend"]]],
  ["the second male is his boyfriend", [["his boyfriend","is his boyfriend"]]],
  ["Cross tattoo with 'John 3:16' across the knuckles", [["bible verse","John 3:16"]]],
  ["SS lightning bolts tattooed on his neck", [["ss lightning bolts","SS lightning bolts tattooed"]]],
  ["Om symbol behind her ear, for her Hindu faith", [["hindu","Hindu faith"]]],
  ["Staff know him as the local Labour Party branch secretary", [["labour party","Labour Party branch secretary"]]],
  ["male presenting, said her name was Ashley", [["male-presenting","male presenting"]]],
  ["he got mental problem, everyone knows him", [["mental problem","mental problem"]]],
  // A review of those rules, close variants.
  ["A Muslim day shift worker reported it", [["muslim","Muslim day shift worker"]]],
  ["they're just over from Eritrea", [["eritrea","from Eritrea"]]],
  ["Guard described him to the police officer as Aboriginal", [["aboriginal","described him to the police officer as Aboriginal"]]],
  ["his bf was waiting outside", [["bf","his bf"]]],
  ["Tattoo '2 Timothy 1:7' on forearm", [["bible verse","2 Timothy 1:7"]]],
  // Set I's developed-on three quarters, in its kin's words.
  ["brown fulla, skinny, gap in front teeth", [["brown","brown fulla"]]],
  ["Patient on our insulin list, came in without a script", [["insulin","on our insulin list"]]],
  ["blind in his left eye, eye is cloudy", [["blind","blind in his left eye"]]],
  ["Filipina, works at the rest home up the road", [["filipina","Filipina"]]],
  ["CFMEU jumper, says he is a member", [["cfmeu","CFMEU jumper"]]],
  ["Irish by the accent, freckles, reddish hair", [["irish","Irish by the accent"]]],
  ["Polish I think going by the accent", [["polish","Polish I think going by the accent"]]],
  ["proper Orange Lodge type, got lairy", [["orange lodge","Orange Lodge type"]]],
  ["Jewish, black hat and long black coat", [["jewish","Jewish"]]],
  // Set J's developed-on three quarters, in its kin's words.
  ["in March they presented as male, now presenting as female", [["male","presented as male"],["female","presenting as female"]]],
  ["collects his clozapine every fortnight", [["clozapine","his clozapine"]]],
  ["Regular on the needle exchange, comes in Mondays", [["needle exchange","on the needle exchange"]]],
  ["Silver Star of David on a chain, worn over the T-shirt", [["star of david","Star of David"]]],
  ["'Let's Go Brandon' t-shirt, camo shorts", [["let's go brandon","Let's Go Brandon"]]],
  ["Afghan refugee, according to the guard", [["afghan","Afghan refugee"]]],
  ["Fred Perry polo, Proud Boys gear", [["proud boys","Proud Boys gear"]]],
  ["14/88 tattooed across the knuckles", [["14/88","14/88 tattooed"]]],
  ["The two of them were talking in Vietnamese by the counter", [["vietnamese","talking in Vietnamese"]]],
  // Sets K and L's developed-on three quarters, in their kin's words.
  ["Extinction Rebellion logo t-shirt, grey trackies", [["extinction rebellion","Extinction Rebellion logo t-shirt"]]],
  ["the cashier, who's in the union, closed up early", [["union","'s in the union"]]],
  ["Witness was the man's husband, who paid", [["husband","man's husband"]]],
  ["he attends the mosque on Queen St most Fridays", [["place of worship","attends the mosque"]]],
  ["came straight from the anti-lockdown rally, no mask", [["political gathering","straight from the anti-lockdown rally"]]],
  ["freckles, pale skin, red hair", [["pale skin","pale skin"]]],
  // Set M's developed-on three quarters, in its kin's words.
  ["Scottish, going by the accent, grey beard", [["scottish","Scottish, going by the accent"]]],
  ["rosary wrapped round his hand the whole time", [["rosary","rosary"]]],
  ["said she campaigned with the Greens last election", [["greens","Greens"]]],
  ["Staff nurse says his repeat script is for lithium", [["lithium","for lithium"]]],
  ["she's going through IVF at the moment, very upset", [["ivf","through IVF"]]],
  ["he came over from Romania last year", [["romania","came over from Romania"]]],
  ["farm workers from Samoa, per the supervisor", [["samoa","workers from Samoa"]]],
  ["Green Party rosette still pinned on from the count", [["green party","Green Party rosette"]]],
  ["the man handing out Watchtower tracts came in", [["watchtower","Watchtower tracts"]]],
  ["told the guard 'my pronouns are she/they'", [["pronouns","she/they"]]],
  ["staff think he used to be a woman", [["former sex","used to be a woman"]]],
  ["the night manager has seen her at the lesbian bar on Oxford St", [["gay venue","seen her at the lesbian bar"]]],
  ["the guard recognised him from the convoy protest in the capital", [["political gathering","recognised him from the convoy protest"]]],
  ["she attends Hillsong Church on Sundays", [["place of worship","attends Hillsong Church"]]],
];

/** The same words naming things, places, organisations, displays, names and pretences. */
const NAMES_A_THING: string[] = [
  'took rosary beads from the gift aisle',
  'knocked over the pride month display',
  'stole diabetes test strips',
  'Indian tonic water 1L x3',
  'the Indian place next door has footage',
  'polish sausage and a six pack',
  'dumped the trolley in the jewish community centre car park',
  'labour party office next door had window smashed too',
  'hispanic heritage month display',
  'pretended to be pregnant, stock stuffed under her top',
  'faked a limp to distract staff',
  'Christian Smith came in again',
  'christian was on lock up, saw nothing',
  'Mr Islam from the takeaway next door',
  'white van man in a black hoodie',
  'black jeans, white trainers, brown jacket',
  'muttered something about immigrants',
  'during the union strike at the port, deliveries late',
  'HIV test kit and condoms',
  'hearing aid batteries x2',
  'walked straight to the exit',
  'took insulin pens and put them in her bag',
  'stole three hearing aid batteries clipped to the card',
  'one of the indian restaurants had footage',
  'parked in the indian restaurant car lot',
  'NDP campaign office next door',
  'took one of the danishes from the bakery',
  'stole 3 crutches, strapped them to his bike',
  'stole an insulin pump, taped it to his leg',
  'back of the chinese restaurant car lot',
  'EFTPOS terminal stuttered all morning',
  'gift card for Christina, Irish',
  'customer was in the greens for ten minutes',
  'she is in labour, her partner paid',
  'went straight out the door and straight into a white ute',
  "Said he's from Hamilton and just passing through",
  "Lad, 20s, strong Scouse accent, took a pair of Air Max",
  "Both reports mention the Labour Day sale crowd",
  "took the Labour Party flyers off the community board",
  "stole three green party hats from the stand",
  "took two EpiPens, anaphylaxis auto-injectors, from behind the counter",
  "her husband paid for it later",
  "he was handing out free samples of Indian sweets",
  "Mark 3 drill kit missing from the cage",
  // What that review found the first rules refused.
  "The manager's Chinese takeaway order got left by the till",
  "Asked what was in the bag, they were Indian sweets",
  "He is a Catholic school teacher, picked up his kids",
  "The courier uses our wheelchair ramp for the trolleys",
  "She is on my mental health first aid roster",
  "He came back from Bunnings with a trolley",
  "He came over from Countdown across the road",
  "Staff on duty: Mark 7:30-4, John 3:00-9",
  "stole three John 3:16 keyrings",
  "We are giving away the leftover union signs to the print shop",
  "A customer asked if we sell Muslim clothing",
  "Customer tried to return a Hindu wedding dress",
  "She was wearing her Girlfriend Collective leggings",
  // Sets K and L's benign, in their kin's words.
  "Faith Bishop from the bakery saw it all",
  "took a Thai-style curry kit and two Indian-made rugs",
  "jumped the picket fence out the back",
  "left the ute in the church car park",
  "he was at the car rally on Saturday",
  "walked past the mosque on Queen St and into the bus",
  // Set M's benign, in its kin's words.
  "the offender, he/she, was out the door before we looked up",
  "a fraudulent script for oxycodone on a stolen prescription pad",
  "she goes to Bunnings on Church Rd most days",
  "played deaf when the guard called out",
  "lifted a walking frame and two wheelchair cushions from the display",
  "took a wandering jew and a fern from the garden centre",
  "self-confessed sneaker addict, always asking about the drops",
  "The parcel was listed as Chinese on the invoice",
  "I was Labour Day rostered on",
  "Lad with a Gold Coast accent took a hoodie",
  "Te Wiki o te Reo Māori display was knocked over when he ran.",
  "indigenous-owned coffee brand, 3 bags taken from the shelf",
  "Took the box of Labor how-to-vote cards from the polling booth and dumped them",
  "stole the blind in the window display",
  "he closed the blind in his office",
  "Saracens rugby union shirt and a flat cap.",
  "needle exchange packs off the counter",
  "stole 3 boxes of Ritalin from the dispensary",
  "spray painted 14/88 on the roller door",
  "the menu was in Vietnamese",
  "presented as evidence to the police",
];

describe('context: a term describing a person trips, with the words it was judged in', () => {
  test.each(DESCRIBES_A_PERSON)('%j', (text, expected) => {
    expect(screenText(text).map((t) => [t.term, t.phrase])).toEqual(expected);
  });
});

describe('context: the same words naming a thing, a place, a name or a pretence pass', () => {
  test.each(NAMES_A_THING)('%j', (text) => expect(screenText(text)).toEqual([]));
});

test('one sentence naming a product and another describing the person: only the person trips', () => {
  expect(screenText('Took Thai sweet chilli sauce. Offender looked Thai, approx 40.').map((t) => t.phrase)).toEqual(['looked Thai']);
});

describe('shapes of a description, whatever the word (no list holds every nationality or condition)', () => {
  test.each([
    ['of Zorbanian descent, tall', 'zorbanian'],
    ['male, Vendrian background, approx 40', 'vendrian'],
    ['looked Wakandan, grey hoodie', 'wakandan'],
    ["he's originally from Ruritania, comes in most days", 'ruritania'],
    ['she was born in Genovia', 'genovia'],
    ['has psoriasis, scratching his arms', 'psoriasis'],
    ['with Marfan syndrome, very tall', 'marfan syndrome'],
  ])('%j trips on %j', (text, term) => expect(screenText(text).map((t) => t.term)).toContain(term));

  test.each([
    'came from Head Office to review the footage',
    'a car alarm in the background',
    'point of origin unknown',
    'psoriasis cream x2 from the pharmacy aisle',
    'looked at the CCTV with the manager',
    'the stock came from Bunnings',
    'kept yelling homophobic abuse',
    'a trophy from the sports shelf',
  ])('%j passes', (text) => expect(screenText(text)).toEqual([]));
});

describe('how store staff write: shorthand, hedges, what someone votes or identifies as, bodies', () => {
  test.each([
    ['he is muslim n said he was fasting', 'muslim'],
    ['told us hes bipolar & off his meds', 'bipolar'],
    ['lad was mixed race id say, 16-17', 'mixed-race'],
    ['says he votes liberal, ranted at the register', 'liberal'],
    ['identifies as queer his own words', 'queer'],
    ['told staff she identifies as female tho her ID says male', 'female'],
    ['ukrainian, came over last yr, didnt understand the self checkout', 'ukrainian'],
    ['shes from the philippines, works down the road', 'philippines'],
    ['prosthetic right leg, camo cap', 'prosthetic'],
    ['missing left arm below the elbow', 'missing arm'],
    ['hammer n sickle patch on denim jacket', 'hammer n sickle'],
    ['black hat, side curls, orthodox jewish, big shopping bag', 'jewish'],
    ["mate said he's into guys, approx 25", 'into guys'],
    // What a review found the rules above had let through: a person after "it was", "there were", "which is", a hedge, a count.
    ['there were two sikhs, one stole a phone', 'sikh'],
    ['it was a sikh who took it', 'sikh'],
    ['young male which is muslim, stole razors', 'muslim'],
    ['he said it was bipolar', 'bipolar'],
    ['lad id say muslim, 20s', 'muslim'],
    ['female, 2 hearing aids, 60s', 'hearing aid'],
    ['staunch NZ First voter, argued about the price of petrol', 'nz first'],
  ])('%j trips on %j', (text, term) => expect(screenText(text).map((t) => t.term)).toContain(term));

  test.each([
    'labour day sale was on n it was manic, nobody saw him leave',
    'name tag said christian, works at the coffee shop',
    'two walking frames from the home health aisle loaded into a white van',
    'chinese character tattoo on her neck, nose ring',
    'paid with a credit union card that got declined',
    'asthma inhaler from behind the counter',
    'missing stock from the cage, missing the bus timetable too',
    'identified as the driver from the rego',
    "walked into men's toilets with the bag",
    'CCTV: suspect identified as male, approx 25',
    'missing hand sanitiser from the front display',
    'manager turned a blind eye',
    'male 20s, top black n white',
  ])('%j passes', (text) => expect(screenText(text)).toEqual([]));
});

test('the same text gets the same answer however often, and whatever was screened before it', () => {
  const text = 'hair, white, black\nmale';
  const first = screenText(text);
  expect(screenText(text)).toEqual(first);
  screenText('he was black, about 25');
  expect(screenText(text)).toEqual(first);
});
