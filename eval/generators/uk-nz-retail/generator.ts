/**
 * Independent synthetic generator of retail-crime event reports (UK / NZ retailers) with
 * ground truth of who each reported person really is.
 *
 * Written from the event API contract (PRODUCT §2) and from how retail-crime reports look in
 * practice, without reference to any matcher. Self-contained: no imports, own seeded PRNG.
 *
 * Model, in short: a population of people (households, crews, home towns) is drawn first; each
 * person gets a true identity (legal name, nickname they go by, street alias, DOB, phone
 * timeline, height, build, tattoos/scars/piercings, hair that changes, household cars that
 * change) and a number of incidents from a heavy-tailed distribution. Incidents are scheduled
 * at stores near home. Then, in time order, each report is "written" by store staff: what is
 * recorded depends on how the person was identified (photo ID / police, details given
 * verbally, recognised by staff, not at all), on familiarity with that store, on the store's
 * diligence and on the writer's habits, with realistic errors.
 */

export interface GeneratedEvent { id: string; body: Record<string, unknown> } // body = a valid POST /api/v1/events body per §2 (strict: only the fields §2 lists)
export interface TruthRow { eventId: string; ref: string; personId: string } // one row per person in each event's body.people: who they truly are
export interface Dataset { name: string; description: string; events: GeneratedEvent[]; truth: TruthRow[] }

export const REGIMES: readonly string[] = Object.freeze(['small-namesakes', 'large', 'sparse', 'medium']);

// ───────────────────────────── PRNG ─────────────────────────────

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h >>> 0;
}

/** sfc32 seeded through splitmix32. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number, stream: string) {
    let s = (seed ^ hashString(stream)) >>> 0;
    const sm = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = sm();
    this.b = sm();
    this.c = sm();
    this.d = sm();
    for (let i = 0; i < 15; i++) this.u32();
  }

  u32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  next(): number {
    return this.u32() / 4294967296;
  }

  /** Integer in [lo, hi] inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)] as T;
  }

  normal(): number {
    const u = 1 - this.next();
    const v = this.next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  expo(mean: number): number {
    return -Math.log(1 - this.next()) * mean;
  }

  /** Pick from [value, weight] pairs. */
  w<T>(pairs: readonly (readonly [T, number])[]): T {
    let total = 0;
    for (const p of pairs) total += p[1];
    let x = this.next() * total;
    for (const p of pairs) {
      x -= p[1];
      if (x < 0) return p[0];
    }
    return (pairs[pairs.length - 1] as readonly [T, number])[0];
  }

  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = arr[i] as T;
      arr[i] = arr[j] as T;
      arr[j] = t;
    }
    return arr;
  }
}

/** Weighted table with binary-search sampling (for large pools). */
class Table<T> {
  private readonly cum: Float64Array;
  private readonly total: number;

  constructor(readonly items: readonly T[], weights: readonly number[]) {
    this.cum = new Float64Array(items.length);
    let acc = 0;
    for (let i = 0; i < items.length; i++) {
      acc += weights[i] as number;
      this.cum[i] = acc;
    }
    this.total = acc;
  }

  sample(rng: Rng): T {
    const x = rng.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.cum[mid] as number) > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo] as T;
  }
}

const zipf = (rank: number, s: number): number => 1 / Math.pow(rank, s);
const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));
const splitList = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);

// ───────────────────────────── Names (frequency-ranked, typed in) ─────────────────────────────

// Great Britain, most common first (approximate order of published surname frequency lists).
const UK_SURNAMES = splitList(`
Smith, Jones, Williams, Taylor, Brown, Davies, Evans, Wilson, Thomas, Johnson, Roberts, Robinson,
Thompson, Wright, Walker, White, Edwards, Hughes, Green, Hall, Lewis, Harris, Clarke, Patel, Jackson,
Wood, Turner, Martin, Cooper, Hill, Ward, Morris, Moore, Clark, Lee, King, Baker, Harrison, Morgan,
Allen, James, Scott, Phillips, Watson, Davis, Parker, Price, Bennett, Young, Griffiths, Mitchell,
Kelly, Cook, Carter, Richardson, Bailey, Collins, Bell, Shaw, Murphy, Miller, Cox, Richards, Khan,
Marshall, Anderson, Simpson, Ellis, Adams, Singh, Begum, Wilkinson, Foster, Chapman, Powell, Webb,
Rogers, Gray, Mason, Ali, Hunt, Hussain, Campbell, Matthews, Owen, Palmer, Holmes, Mills, Barnes,
Knight, Lloyd, Butler, Russell, Barker, Fisher, Stevens, Jenkins, Murray, Dixon, Harvey, Graham,
Pearson, Ahmed, Fletcher, Walsh, Kaur, Gibson, Howard, Andrews, Stewart, Elliott, Reynolds,
Saunders, Payne, Fox, Ford, Pearce, Day, Brooks, West, Lawrence, Cole, Atkinson, Bradley, Spencer,
Gill, Dawson, Ball, Burton, O'Brien, Watts, Rose, Booth, Perry, Ryan, Grant, Wells, Armstrong,
Francis, Rees, Hayes, Hart, Hudson, Newman, Barrett, Webster, Hunter, Gregory, Carr, Lowe, Page,
Marsh, Riley, Dunn, Woods, Parsons, Berry, Stone, Reid, Holland, Hawkins, Harding, Porter,
Robertson, Newton, Oliver, Reed, Kennedy, Williamson, Bird, Gardner, Shah, Dean, Lane, Cooke,
Bates, Henderson, Parry, Burgess, Bishop, Walton, Burns, Nicholson, Shepherd, Ross, Cross, Long,
Freeman, Warren, Nicholls, Hamilton, Byrne, Sutton, McDonald, Yates, Hodgson, Robson, Curtis,
Hopkins, O'Connor, Harper, Coleman, Watkins, Moss, McCarthy, Chambers, O'Neill, Griffin, Sharp,
Hardy, Wheeler, Potter, Osborne, Johnston, Gordon, Doyle, Wallace, George, Jordan, Hutchinson,
Rowe, Burke, May, Pritchard, Gilbert, Willis, Higgins, Read, Miles, Stephenson, Hammond, Arnold,
Buckley, Walters, Hewitt, Barber, Nelson, Slater, Austin, Sullivan, Whitehead, Mann, Frost,
Lambert, Stephens, Blake, Akhtar, Lynch, Goodwin, Barton, Woodward, Thomson, Cunningham, Quinn,
Barnett, Baxter, Bibi, Clayton, Nash, Greenwood, Jennings, Holt, Kemp, Poole, Gallagher, Bond,
Stokes, Tucker, Davidson, Fowler, Heath, Norman, Middleton, Lawson, Banks, French, Stanley,
Jarvis, Gibbs, Ferguson, Hayward, Carroll, Farrell, Iqbal, Rahman, Mahmood, Hassan, Chowdhury,
Nowak, Kowalski, Mistry, Sharma, Kumar, Nguyen, Chen, Wang, Okafor, Mensah, Brennan, Connolly,
Dobson, Sweeney, Kirby, Metcalfe, Hargreaves, Gough, Rhodes, Skinner, Lord, Howell, Winter
`);

// Long tail of real but less common GB surnames.
const UK_RARE = splitList(`
Abbott, Ackroyd, Ainsworth, Aldridge, Allsop, Ashby, Ashworth, Bagley, Bainbridge, Bamford, Barlow,
Beckett, Blackburn, Bolton, Bowden, Bramley, Brierley, Broadbent, Buckingham, Bunting, Catterall,
Cheetham, Clegg, Cropper, Crowther, Dakin, Driscoll, Eccles, Entwistle, Fairclough, Fenwick,
Garside, Gledhill, Greaves, Haigh, Haworth, Hepworth, Hibbert, Holroyd, Horrocks, Hough, Ibbotson,
Ingham, Jagger, Kershaw, Lumb, Marsden, Mellor, Mottram, Nuttall, Ormerod, Pickles, Pilling, Platt,
Pollard, Ramsden, Redfern, Sowerby, Stansfield, Sugden, Sutcliffe, Tattersall, Thwaites, Tranter,
Uttley, Wadsworth, Whittaker, Wolstenholme, Yeadon, Trevithick, Penhaligon, Tregear, Pengelly,
Llewellyn, Prosser, Meredith, Vaughan, Pugh, Bevan, MacLeod, Fraser, Sinclair, Munro, Lennox,
Kowalczyk, Wiśniewski, Lewandowski, Popescu, Ionescu, Petrov, Obi, Adeyemi, Owusu, Boateng, Acton,
Alderson, Appleby, Arkwright, Ashton, Aspinall, Astley, Backhouse, Bagshaw, Bairstow, Balding, Bancroft,
Bardsley, Barraclough, Battersby, Beardsley, Beasley, Belcher, Bellamy, Bickerstaff, Birtwistle,
Blakemore, Bletcher, Boddy, Bottomley, Braithwaite, Brocklehurst, Bullock, Burrows, Butterworth,
Calvert, Capstick, Cartwright, Chadwick, Chatterton, Cockburn, Colley, Cowgill, Crabtree, Cranston,
Critchley, Cuthbert, Dalby, Dearden, Dewhurst, Dodd, Duckworth, Earnshaw, Emmott, Fairbairn,
Farnworth, Fawcett, Fearnley, Firth, Frobisher, Gaskell, Gatenby, Goodall, Grimshaw, Hackett,
Halliwell, Hanson, Harrop, Hawksworth, Heseltine, Hinchcliffe, Holdsworth, Howarth, Hulme, Illingworth,
Jowett, Kenworthy, Kitchen, Lambton, Leadbetter, Lightfoot, Lister, Lockwood, Longbottom, Mawson,
Midgley, Moorhouse, Murgatroyd, Naylor, Nettleton, Oddie, Ogden, Oldroyd, Openshaw, Pemberton,
Pickering, Priestley, Rawlinson, Rhodes, Riddiough, Rishworth, Robshaw, Rushworth, Scargill, Shackleton,
Sharples, Shuttleworth, Smethurst, Snowden, Stott, Swales, Tempest, Thackeray, Threlfall, Tomlinson,
Townend, Turton, Varley, Walmsley, Waterhouse, Whiteley, Wilde, Winterbottom, Womersley, Wrigley
`);

const NZ_SURNAMES = splitList(`
Smith, Wilson, Williams, Brown, Taylor, Singh, Jones, Anderson, Thompson, Walker, Campbell, Scott,
Kumar, Martin, Robinson, Clark, Patel, Harris, Stewart, White, Thomas, King, Young, Lee, Mitchell,
Wood, Hall, Ngata, Wright, Johnson, Henare, Bell, Cooper, Watson, Edwards, Murray, Wang, Li,
Tipene, Parata, Fraser, MacDonald, Ross, Reid, Hughes, Kelly, Morris, Moore, Allen, Baker, Hill,
Green, Turner, Robertson, Hamilton, Graham, Cameron, Te Huia, Wihongi, Chen, Zhang, Kaur, Sharma,
Ryan, Walsh, O'Brien, Murphy, Sullivan, McKenzie, Morrison, Henderson, Gray, Grant, Hunter,
Bennett, Carter, Davies, Evans, Parker, Ward, Marshall, Russell, Simpson, Mason, Lewis, James,
Roberts, Jackson, Harrison, Kennedy, Hay, Barnes, Ellis, Wells, Johnston, Burns, Hohaia, Paewai,
Waaka, Tamihana, Poutama, Heke, Pomare, Kereama, Rangi, Herewini, Tupou, Tuilagi, Faleolo,
Leaupepe, Fa'amausili, Taufa, Vaifale, Fonoti, Sio, Aumua, Liu, Yang, Huang, Nguyen, Tran, Kim,
Park, Prasad, Reddy, Naidu, Lal, Chand, Ali, Khan, Gill, Sandhu, Dhillon, Kingi, Rāwiri, Te Rangi,
Karaka, Maihi, Rewi, Tautari, Matiu, Pene, Tawhai, Wallace, Gordon, Duncan, Jamieson, Paterson,
Stevens, Hewitt, Dunn, Cox, Chapman, Lawrence, Black, Collins, Miller, Davis, Adams, Rogers, Shaw
`);

const NZ_RARE = splitList(`
Aperahama, Hapeta, Hetaraka, Horomona, Mahuika, Nikora, Potae, Puketapu, Rapana, Te Aho, Tukaki,
Tuhiwai, Whaanga, Waititi, Parangi, Tahana, Ruawai, Hona, Moetara, Paki, Takerei, Fifita, Havili,
Fonua, Latu, Vea, Mahe, Lolohea, Fuimaono, Sapolu, Tauiliili, Leota, Toleafoa, Tuimavave, Pouono,
Grewal, Sidhu, Zhou, Wu, Xu, Sun, Ma, Guo, Lin, Ho, Tan, Lim, Ng, Wong, Chan, Cheung, Pham, Le, Vo,
Dunstan, Cresswell, Hurrell, Tapp, Pennell, Bycroft, Rountree, Drummond, Lamont, Gillespie, McLeod,
McGregor, McIntyre, Sinclair, Munro, Rutherford, Galloway, Buchanan, Dalziel, Findlay, Lockie,
Crawford, Tait, Brownlie, Ruddenklau, Bidois, Heywood, Kerehoma, Ratana, Tomoana, Hakaraia
`);

// A small rural NZ district: few families, several near-identical spellings that are *different* families.
const SMALL_TOWN_SURNAMES = splitList(`
Walker, Smith, Henare, Ngata, Brown, Wilson, Tipene, Thompson, Williams, Parata, Thomson, Clark,
Kereama, Clarke, Te Huia, Taylor, Paewai, Reid, Hohaia, Reed, Wihongi, McKenzie, Jones, Campbell,
Mackenzie, Poutama, Tamihana, Heke, Davis, Davies, Stewart, Waaka, Rangi, Herewini, Scott, Kingi
`);

// Given names with the birth year they peaked (for age-appropriate names). Most common first.
const UK_MALE = splitList(`
David:1970, John:1960, Michael:1978, James:1990, Daniel:1990, Paul:1966, Mark:1968, Thomas:1996,
Christopher:1985, Matthew:1988, Andrew:1980, Ryan:1992, Lee:1976, Jack:2004, Joshua:1998, Richard:1970,
Robert:1965, William:1996, Luke:1993, Steven:1972, Stephen:1966, Craig:1976, Dean:1976, Liam:1994,
Jordan:1995, Adam:1990, Callum:1996, Connor:1998, Kyle:1995, Jamie:1990, Gary:1964, Darren:1970,
Wayne:1968, Anthony:1975, Jason:1978, Carl:1975, Scott:1985, Shaun:1985, Sean:1988, Peter:1960,
Kevin:1965, Ian:1960, Martin:1968, Simon:1974, Stuart:1975, Neil:1968, Nathan:1992, Aaron:1990,
Jonathan:1985, Benjamin:1995, Samuel:1998, Lewis:1997, Jake:2000, Tyler:2000, Reece:1998,
Kieran:1996, Bradley:1995, Ashley:1988, Alexander:1998, Nicholas:1990, Joseph:1998, Patrick:1990,
Harry:2008, Charlie:2010, George:2012, Oliver:2012, Alfie:2010, Mohammed:2004, Muhammad:2010,
Jayden:2005, Kai:2008, Mason:2008, Logan:2008, Riley:2008, Dylan:2000, Ethan:2005, Leon:1995,
Tony:1970, Gavin:1975, Marcus:1985, Elliot:1995, Owen:1998, Declan:1995, Brandon:1997, Billy:1995,
Charles:1990, Kane:1995, Ross:1985, Graham:1965, Keith:1955, Alan:1960, Terry:1958, Barry:1960,
Kenneth:1955, Derek:1955, Colin:1958, Dominic:1990, Toby:2000, Harvey:2008, Archie:2012,
Jacob:2005, Ricky:1985, Danny:1985, Edward:2000, Frankie:2008
`);

const UK_FEMALE = splitList(`
Sarah:1985, Emma:1988, Laura:1988, Rebecca:1988, Gemma:1988, Amy:1992, Jessica:1993, Hannah:1995,
Charlotte:1995, Lauren:1994, Sophie:1996, Chloe:1998, Megan:1998, Emily:2000, Jade:1995,
Danielle:1988, Kelly:1985, Nicola:1980, Claire:1978, Lisa:1973, Michelle:1975, Joanne:1975,
Karen:1966, Tracey:1968, Julie:1965, Susan:1960, Sharon:1965, Donna:1970, Samantha:1988,
Stacey:1988, Kirsty:1986, Leanne:1985, Natalie:1985, Rachel:1983, Victoria:1988, Elizabeth:1985,
Katherine:1985, Catherine:1980, Helen:1975, Louise:1980, Zoe:1990, Holly:1995, Georgia:1998,
Ellie:2002, Paige:1998, Shannon:1995, Courtney:1995, Kayleigh:1992, Abigail:2000, Leah:1996,
Caitlin:1998, Bethany:1997, Jasmine:2000, Lucy:1995, Olivia:2008, Amelia:2010, Grace:2005,
Mia:2008, Ruby:2008, Lily:2008, Ella:2008, Freya:2010, Amber:2000, Tia:2002, Demi:1998,
Chelsea:1995, Kerry:1980, Angela:1970, Deborah:1965, Patricia:1955, Margaret:1950,
Jacqueline:1968, Amanda:1975, Kimberley:1988, Natasha:1985, Melissa:1988, Jennifer:1985,
Stephanie:1990, Alexandra:1990, Fatima:2000, Aisha:2000, Jodie:1988, Toni:1985, Carly:1988,
Hayley:1990, Siobhan:1990, Roxanne:1988
`);

const NZ_MALE = splitList(`
James:1990, Michael:1980, David:1975, John:1965, Daniel:1990, Matthew:1988, Joshua:1998, Ryan:1993,
Jordan:1996, Jason:1978, Aaron:1988, Shane:1975, Wayne:1968, Brendon:1980, Craig:1975, Dean:1978,
Mark:1968, Paul:1965, Peter:1962, Robert:1965, William:1995, Thomas:1995, Samuel:1998,
Benjamin:1995, Liam:1998, Jayden:2003, Tyler:2000, Nathan:1992, Jacob:2003, Caleb:2003, Ethan:2005,
Cameron:1995, Hayden:1995, Corey:1995, Kane:1993, Blake:1997, Bradley:1995, Luke:1995,
Christopher:1985, Anthony:1980, Jonathan:1985, Richard:1970, Steven:1975, Stephen:1970,
Andrew:1980, Glen:1975, Grant:1970, Scott:1985, Troy:1985, Brett:1978, Carl:1978, Nikau:2005,
Tane:1995, Wiremu:1985, Hemi:1990, Rawiri:1990, Manaia:2005, Tama:1995, Tamati:1990, Rangi:1985,
Kahu:2000, Sione:1995, Tavita:1995, Ioane:1995, Viliami:1995, Semisi:1995, Sefa:1995, Tevita:1995,
Isaiah:2003, Elijah:2005, Noah:2010, Oliver:2012, Jack:2008, Mason:2008, Logan:2008, Riley:2008,
Connor:1998, Dylan:2000, Jake:2000, Hunter:2008, Raj:1990, Arjun:2000, Wei:1995, Jun:1995,
Minh:1995, Zane:2000, Kyle:1995, Jamie:1990, George:2010, Lachlan:2005, Keegan:2000
`);

const NZ_FEMALE = splitList(`
Sarah:1985, Jessica:1992, Emma:1990, Rebecca:1988, Michelle:1975, Nicole:1988, Amanda:1978,
Kylie:1980, Melissa:1985, Stacey:1988, Chantelle:1990, Aroha:1990, Mere:1985, Kiri:1985,
Hayley:1992, Courtney:1995, Jade:1995, Ashley:1993, Tania:1975, Lisa:1972, Karen:1968,
Sharon:1965, Maria:1975, Elizabeth:1985, Katherine:1985, Samantha:1988, Charlotte:1998, Leah:1996,
Brooke:1998, Shannon:1993, Krystal:1992, Renee:1990, Anahera:1998, Ngaire:1975, Huia:1990,
Moana:2000, Awhina:2000, Kaia:2008, Mele:1995, Losa:1995, Salote:1995, Ana:1995, Lupe:1995,
Grace:2005, Olivia:2008, Isla:2010, Amelia:2010, Ruby:2008, Emily:2000, Hannah:1998, Georgia:1998,
Paige:1998, Tayla:2000, Kayla:1998, Chloe:1998, Megan:1998, Danielle:1990, Natasha:1988,
Tracey:1970, Donna:1970, Joanne:1975, Debbie:1965, Sandra:1965, Vanessa:1985, Kim:1978,
Priya:1995, Mei:1995, Linh:1995, Jasmine:2000, Sophie:1998, Zoe:1995, Amber:2000, Holly:1998,
Crystal:1992, Tiana:2000, Maddison:2003, Kelsey:1998, Rachel:1985, Victoria:1990, Jacqueline:1970
`);

// Rarer given names (a tail outside the ranked lists); no era weighting.
const UK_MALE_RARE = splitList(`Ahmed, Amir, Bartosz, Callan, Cian, Cody, Coby, Dale, Dario, Denis, Dominik, Ewan, Fraser, Gareth,
Glenn, Hamza, Harley, Ibrahim, Jakub, Jarrod, Jensen, Kacper, Keiran, Layton, Leighton, Lenny, Lucas, Mackenzie, Marek,
Nathaniel, Niall, Omar, Ollie, Piotr, Rhys, Rory, Ronan, Ruben, Sami, Tomasz, Travis, Vinnie, Warren, Yusuf, Clint, Dwayne,
Jermaine, Kurtis, Lyndon, Mitchell, Morgan, Perry, Rocco, Tyrone, Wesley, Jody, Kristian, Mason, Stefan, Stacey`);
const UK_FEMALE_RARE = splitList(`Aaliyah, Agnieszka, Alisha, Anya, Bianca, Billie, Carys, Ciara, Darcey, Destiny, Dionne, Eden,
Esme, Faye, Gabriella, Harriet, Imogen, Jolene, Kacey, Karina, Keeley, Lacey, Lola, Maisie, Marnie, Misty, Nadia, Naomi, Nia,
Rhiannon, Rosie, Sadie, Serena, Shania, Skye, Tanya, Tegan, Wiktoria, Bernadette, Cheryl, Colleen, Dawn, Gail, Jayne, Leona,
Mandy, Maxine, Nikki, Paula, Shelley, Sonia, Tammy, Vicki, Yvonne`);
const NZ_MALE_RARE = splitList(`Ari, Brodie, Cruz, Dallas, Dion, Duane, Eru, Hohepa, Ihaia, Kauri, Kingi, Lance, Mikaere, Nico,
Paora, Pita, Quade, Reuben, Rewi, Ropata, Shaun, Taine, Toa, Zion, Ezekiel, Fetu, Malakai, Pele, Tipene, Tawhiri, Hamiora,
Rāwiri, Te Rangi, Matiu, Nathaniel, Ruben, Vaughan, Darryl, Clinton, Murray, Trent, Warren, Byron, Kurt, Mitchell, Reece`);
const NZ_FEMALE_RARE = splitList(`Anika, Atawhai, Brianna, Casey, Destiny, Frances, Hine, Indie, Jorja, Kahurangi, Keisha, Leilani,
Mahina, Maia, Marama, Ngaio, Paris, Pania, Rangimarie, Sina, Sky, Tui, Waimarie, Whetu, Ebony, Tyra, Shardae, Shakira, Bree,
Charmaine, Dayna, Gemma, Janine, Kelly, Leanne, Monique, Nadine, Raewyn, Shelley, Toni, Wendy, Yvette`);

const SMALL_MALE = splitList(`
Michael:1980, John:1965, James:1990, Shane:1975, Wayne:1968, David:1975, Tane:1995, Daniel:1990,
Hemi:1990, Jason:1978, Aaron:1988, Wiremu:1985, Ryan:1993, Joshua:1998, Mark:1968, Jayden:2003,
Peter:1962, Craig:1975, Rawiri:1990, Jonathan:1985, William:1995, Robert:1965, Nathan:1992,
Tyler:2000, Dean:1978, Kane:1993, Nikau:2005, Brendon:1980, Richard:1970, Corey:1995, Steven:1975,
Matthew:1988
`);

const SMALL_FEMALE = splitList(`
Sarah:1985, Aroha:1990, Michelle:1975, Jessica:1992, Kylie:1980, Mere:1985, Stacey:1988,
Chantelle:1990, Tania:1975, Rebecca:1988, Kiri:1985, Hayley:1992, Elizabeth:1985, Melissa:1985,
Jade:1995, Karen:1968, Anahera:1998, Courtney:1995, Samantha:1988, Nicole:1988, Sharon:1965,
Krystal:1992, Katherine:1985, Huia:1990, Brooke:1998, Renee:1990
`);

// Legal name → names people go by (and that staff write down).
const NICKNAMES: Record<string, string[]> = {
  William: ['Will', 'Bill', 'Billy', 'Liam'], Robert: ['Rob', 'Bob', 'Robbie', 'Bobby'],
  Richard: ['Rich', 'Rick', 'Richie', 'Dick'], James: ['Jim', 'Jimmy', 'Jamie', 'Jimbo'],
  Jonathan: ['Jono', 'Jon', 'Johnny'], John: ['Johnny', 'Jack', 'Jono'],
  Michael: ['Mike', 'Mick', 'Mikey', 'Micky'], Christopher: ['Chris', 'Chrissy'],
  Matthew: ['Matt', 'Matty'], Daniel: ['Dan', 'Danny'], Joseph: ['Joe', 'Joey'],
  Thomas: ['Tom', 'Tommy'], Anthony: ['Tony', 'Ant'], Andrew: ['Andy', 'Drew'],
  Benjamin: ['Ben', 'Benny'], Samuel: ['Sam', 'Sammy'], Nicholas: ['Nick', 'Nicky'],
  Alexander: ['Alex', 'Xander'], Edward: ['Ed', 'Eddie', 'Ted'], Stephen: ['Steve', 'Stevie'],
  Steven: ['Steve', 'Stevo'], David: ['Dave', 'Davey', 'Davo'], Joshua: ['Josh'], Nathan: ['Nate', 'Nath'],
  Jacob: ['Jake'], Peter: ['Pete'], Patrick: ['Pat', 'Paddy'], Kenneth: ['Ken', 'Kenny'],
  Gary: ['Gaz'], Darren: ['Daz'], Barry: ['Baz'], Terry: ['Tel'], Kevin: ['Kev'], Charles: ['Charlie', 'Chaz'],
  Callum: ['Cal'], Cameron: ['Cam'], Bradley: ['Brad'], Jordan: ['Jordy'], Jason: ['Jase'],
  Brendon: ['Brendo'], Hayden: ['Haydo'], Tamati: ['Tam'], Wiremu: ['Wi', 'Bill'], Rawiri: ['Riri', 'Dave'],
  Hemi: ['Jimmy'], Viliami: ['Vili', 'Bill'], Semisi: ['Sam'], Tevita: ['Dave', 'Tevs'], Sione: ['Sio'],
  Mohammed: ['Mo'], Muhammad: ['Mo'], Frankie: ['Frank'], Lachlan: ['Lachie'], Zane: ['Z'],
  Elizabeth: ['Liz', 'Beth', 'Lizzie', 'Betty'], Margaret: ['Maggie', 'Meg'],
  Katherine: ['Kate', 'Kathy', 'Katie', 'Kat'], Catherine: ['Cath', 'Cathy', 'Kate'],
  Jennifer: ['Jen', 'Jenny'], Rebecca: ['Becky', 'Bec', 'Becca'], Jessica: ['Jess', 'Jessie'],
  Victoria: ['Vicky', 'Tori'], Samantha: ['Sam', 'Sammy'], Alexandra: ['Alex', 'Lexi'],
  Charlotte: ['Charlie', 'Lottie'], Deborah: ['Debbie', 'Deb'], Patricia: ['Pat', 'Trish'],
  Susan: ['Sue', 'Suzy'], Nicola: ['Nicky', 'Nic'], Amanda: ['Mandy'], Stephanie: ['Steph'],
  Kimberley: ['Kim'], Jacqueline: ['Jackie'], Natasha: ['Tash'], Danielle: ['Dani'],
  Melissa: ['Mel', 'Missy'], Michelle: ['Shell', 'Chelle'], Sharon: ['Shaz'], Karen: ['Kaz'],
  Tracey: ['Trace'], Abigail: ['Abby'], Bethany: ['Beth'], Gemma: ['Gem'], Courtney: ['Court'],
  Chantelle: ['Chan'], Aroha: ['Ro'], Krystal: ['Krys'], Joanne: ['Jo'], Louise: ['Lou'],
  Anahera: ['Ana'], Kayleigh: ['Kay'], Jasmine: ['Jaz'], Sandra: ['Sandy'],
};

// Spellings that sound the same: staff write what they hear.
const VARIANT_GROUPS: string[][] = [
  ['Steven', 'Stephen'], ['Sean', 'Shaun', 'Shawn'], ['Catherine', 'Katherine', 'Kathryn'],
  ['Philip', 'Phillip'], ['Matthew', 'Mathew'], ['Sarah', 'Sara'], ['Hayley', 'Haylee', 'Hailey'],
  ['Jayden', 'Jaden', 'Jaiden'], ['Aaron', 'Aron'], ['Brendon', 'Brendan'], ['Kirsty', 'Kirstie'],
  ['Jon', 'John'], ['Jonathan', 'Jonathon'], ['Jamie', 'Jaime'], ['Tracey', 'Tracy'], ['Krystal', 'Crystal'],
  ['Kylie', 'Kiley'], ['Stacey', 'Stacy'], ['Zoe', 'Zoey'], ['Leah', 'Lea'], ['Chantelle', 'Shantelle'],
  ['Kayleigh', 'Kayley', 'Kaylee'], ['Mohammed', 'Mohammad', 'Muhammad'], ['Ashley', 'Ashleigh'],
  ['Renee', 'Renée'], ['Tane', 'Tāne'], ['Corey', 'Cory'], ['Jodie', 'Jody'], ['Elliot', 'Elliott'],
  ['Thompson', 'Thomson'], ['Phillips', 'Philips'], ['Clarke', 'Clark'], ['Reid', 'Reed', 'Read'],
  ['Davies', 'Davis'], ['Matthews', 'Mathews'], ['McDonald', 'MacDonald', 'Mcdonald'],
  ['Stevens', 'Stephens'], ['McKenzie', 'Mackenzie', 'MacKenzie'], ['Nicholls', 'Nichols'],
  ['Hussain', 'Hussein'], ['Chowdhury', 'Choudhury'], ['Mohamed', 'Mohammed'], ['Gray', 'Grey'],
  ['Rāwiri', 'Rawiri'], ['Parata', 'Parahta'], ['Tipene', 'Tipeni'], ['Henare', 'Henari'],
  ['Fa\'amausili', 'Faamausili'], ['Ngata', 'Ngatta'], ['Waaka', 'Waka'], ['Te Huia', 'Tehuia'],
];
const VARIANTS = new Map<string, string[]>();
for (const g of VARIANT_GROUPS) for (const n of g) VARIANTS.set(n.toLowerCase(), g.filter((x) => x !== n));

const STREET_ALIASES_M = ['Tiny', 'Shorty', 'Spud', 'Bones', 'Taz', 'Chopper', 'Bugsy', 'Moose', 'Ginge', 'Tank', 'Dodge',
  'Fingers', 'Sticky', 'Ghost', 'Smiley', 'Snake', 'Rabbit', 'Scooby', 'Buzz', 'Lefty', 'Ratty', 'Blue', 'Chook',
  'Sparky', 'Bubba', 'Wolfie', 'Nugget', 'Stretch', 'Pup', 'Boss'];
const STREET_ALIASES_F = ['Bubbles', 'Princess', 'Tink', 'Sassy', 'Dolly', 'Roo', 'Bunny', 'Tiny', 'Ginge', 'Peaches'];

// ───────────────────────────── Countries ─────────────────────────────

type CountryCode = 'NZ' | 'UK';

interface CarMake { make: string; models: string[]; w: number; spellings: string[] }

const NZ_CARS: CarMake[] = [
  { make: 'Toyota', models: ['Corolla', 'Aqua', 'Prius', 'Hilux', 'Hiace', 'Camry', 'RAV4', 'Vitz', 'Mark X', 'Estima'], w: 30, spellings: ['Toyota', 'toyota', 'Toyta'] },
  { make: 'Nissan', models: ['Tiida', 'Leaf', 'Navara', 'Note', 'X-Trail', 'Skyline'], w: 12, spellings: ['Nissan', 'nissan', 'Nisan'] },
  { make: 'Mazda', models: ['Demio', 'Axela', 'Atenza', 'MPV', 'CX-5'], w: 12, spellings: ['Mazda', 'mazda'] },
  { make: 'Honda', models: ['Fit', 'Odyssey', 'Accord', 'Civic'], w: 9, spellings: ['Honda', 'honda'] },
  { make: 'Suzuki', models: ['Swift', 'Vitara'], w: 6, spellings: ['Suzuki', 'Suzuki', 'Suzi'] },
  { make: 'Holden', models: ['Commodore', 'Barina', 'Colorado'], w: 6, spellings: ['Holden', 'holden'] },
  { make: 'Ford', models: ['Ranger', 'Falcon', 'Focus', 'Fiesta'], w: 8, spellings: ['Ford', 'ford'] },
  { make: 'Subaru', models: ['Legacy', 'Impreza', 'Outback', 'Forester'], w: 6, spellings: ['Subaru', 'Subie'] },
  { make: 'Mitsubishi', models: ['Outlander', 'Lancer', 'Triton', 'Galant'], w: 6, spellings: ['Mitsubishi', 'Mitsubushi', 'Mitsi'] },
  { make: 'Volkswagen', models: ['Golf', 'Polo'], w: 3, spellings: ['Volkswagen', 'VW'] },
  { make: 'Hyundai', models: ['i30', 'Tucson', 'Santa Fe'], w: 4, spellings: ['Hyundai', 'Hyundia'] },
  { make: 'Kia', models: ['Sportage', 'Sorento'], w: 2, spellings: ['Kia'] },
];

const UK_CARS: CarMake[] = [
  { make: 'Ford', models: ['Fiesta', 'Focus', 'Kuga', 'Transit', 'Puma'], w: 16, spellings: ['Ford', 'ford'] },
  { make: 'Vauxhall', models: ['Corsa', 'Astra', 'Insignia', 'Mokka'], w: 14, spellings: ['Vauxhall', 'Vauxhal', 'vauxhall'] },
  { make: 'Volkswagen', models: ['Golf', 'Polo', 'Passat', 'Tiguan', 'Transporter'], w: 12, spellings: ['Volkswagen', 'VW', 'vw'] },
  { make: 'BMW', models: ['1 Series', '3 Series', '5 Series', 'X5'], w: 8, spellings: ['BMW', 'bmw', 'Beemer'] },
  { make: 'Audi', models: ['A3', 'A4', 'A1', 'Q5'], w: 7, spellings: ['Audi', 'audi'] },
  { make: 'Mercedes-Benz', models: ['A-Class', 'C-Class', 'Sprinter'], w: 7, spellings: ['Mercedes', 'Merc', 'Mercedes-Benz'] },
  { make: 'Nissan', models: ['Qashqai', 'Juke', 'Micra'], w: 6, spellings: ['Nissan', 'nissan'] },
  { make: 'Toyota', models: ['Yaris', 'Aygo', 'Corolla', 'Prius'], w: 6, spellings: ['Toyota', 'toyota'] },
  { make: 'Peugeot', models: ['208', '308', '2008'], w: 5, spellings: ['Peugeot', 'Peugot', 'Pugeot'] },
  { make: 'Renault', models: ['Clio', 'Megane'], w: 4, spellings: ['Renault', 'Renualt'] },
  { make: 'Kia', models: ['Sportage', 'Ceed', 'Picanto'], w: 4, spellings: ['Kia'] },
  { make: 'Hyundai', models: ['i10', 'i20', 'Tucson'], w: 4, spellings: ['Hyundai', 'Hyundia'] },
  { make: 'Mini', models: ['Cooper', 'Countryman'], w: 3, spellings: ['Mini', 'MINI'] },
  { make: 'Land Rover', models: ['Range Rover Evoque', 'Discovery'], w: 3, spellings: ['Land Rover', 'Landrover'] },
  { make: 'Citroen', models: ['C3', 'Berlingo'], w: 3, spellings: ['Citroen', 'Citroën', 'Citreon'] },
  { make: 'Skoda', models: ['Octavia', 'Fabia'], w: 3, spellings: ['Skoda', 'Škoda'] },
  { make: 'Seat', models: ['Leon', 'Ibiza'], w: 3, spellings: ['Seat', 'SEAT'] },
];

const CAR_COLOURS: [string, number][] = [['silver', 22], ['white', 20], ['black', 18], ['grey', 14], ['blue', 10], ['red', 8],
  ['green', 3], ['gold', 2], ['maroon', 2], ['orange', 1]];
const COLOUR_CONFUSION: Record<string, string[]> = {
  silver: ['grey', 'silver/grey', 'light grey'], grey: ['silver', 'gunmetal', 'charcoal'], blue: ['navy', 'dark blue', 'light blue'],
  maroon: ['red', 'burgundy'], red: ['maroon', 'dark red'], gold: ['champagne', 'beige'], white: ['cream', 'white'],
  black: ['charcoal', 'black'], green: ['dark green', 'teal'], orange: ['orange', 'copper'],
};

const LETTERS_NO_IOQ = 'ABCDEFGHJKLMNPRSTUVWXYZ';
const DIGITS = '0123456789';

function randChars(rng: Rng, alphabet: string, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += alphabet[rng.int(0, alphabet.length - 1)];
  return s;
}

function nzPlate(rng: Rng): string {
  const r = rng.next();
  if (r < 0.85) return randChars(rng, LETTERS_NO_IOQ, 3) + randChars(rng, DIGITS, 3);
  if (r < 0.95) return randChars(rng, LETTERS_NO_IOQ, 2) + String(rng.int(1, 9999));
  const vanity = ['BADBOY', 'SKUX1', 'CHUR', 'KIWI7', 'MUMSCAR', 'FAST1', 'NOFEAR', 'HOON', 'BRO123', 'GUZZLR', 'TEAM21', 'ZOOM'];
  return rng.pick(vanity).slice(0, 6);
}

function ukPlate(rng: Rng): string {
  if (rng.chance(0.06)) {
    // Older prefix style: A123 BCD.
    return randChars(rng, 'ABCDEFGHJKLMNPRSTVWXY', 1) + String(rng.int(1, 999)) + ' ' + randChars(rng, LETTERS_NO_IOQ, 3);
  }
  const area = randChars(rng, 'ABCDEFGHKLMNOPRSVWY', 1) + randChars(rng, 'ABCDEFGHJKLMNOPRSTUVWXY', 1);
  const yy = rng.int(3, 25);
  const age = rng.chance(0.5) ? yy : yy + 50;
  return area + String(age).padStart(2, '0') + ' ' + randChars(rng, 'ABCDEFGHJKLMNOPRSTUVWXYZ', 3);
}

function nzPhone(rng: Rng): string {
  const pre = rng.w([['21', 40], ['27', 30], ['22', 20], ['20', 5], ['29', 5]] as const);
  const len = pre === '21' && rng.chance(0.15) ? 6 : pre === '20' ? 8 : 7;
  return '+64' + pre + String(rng.int(1, 9)) + randChars(rng, DIGITS, len - 1);
}

function ukPhone(rng: Rng): string {
  return '+447' + String(rng.int(3, 9)) + randChars(rng, DIGITS, 8);
}

interface CountryDef {
  code: CountryCode;
  currency: string;
  cars: CarMake[];
  carTable: Table<CarMake>;
  plate(rng: Rng): string;
  phone(rng: Rng): string;
  utcOffsetHours(ms: number): number;
  policeRef(rng: Rng): string;
  priceIdx: 0 | 1;
  skuPrefix: string;
  bottoms: string[][];
  feet: string[][];
  tops: string[][];
}

const COUNTRIES: Record<CountryCode, CountryDef> = {
  NZ: {
    code: 'NZ', currency: 'NZD', cars: NZ_CARS, carTable: new Table(NZ_CARS, NZ_CARS.map((c) => c.w)), plate: nzPlate, phone: nzPhone,
    utcOffsetHours(ms) {
      const d = new Date(ms);
      const m = d.getUTCMonth();
      const day = d.getUTCDate();
      const dst = m >= 9 || m <= 2 || (m === 8 && day >= 27) || (m === 3 && day < 6);
      return dst ? 13 : 12;
    },
    policeRef: (rng) => 'P' + String(rng.int(100000000, 999999999)),
    priceIdx: 0, skuPrefix: '94',
    bottoms: [['trackpants', 'trackies', 'track pants'], ['jeans', 'denim jeans'], ['shorts', 'basketball shorts', 'footy shorts'],
      ['work shorts', 'stubbies'], ['leggings', 'tights'], ['cargo pants', 'work pants']],
    feet: [['jandals', 'jandals'], ['sneakers', 'runners', 'shoes'], ['slides', 'sliders'], ['work boots', 'boots'], ['bare feet', 'no shoes']],
    tops: [['hoodie', 'hoody', 'hooded top', 'hooded jumper'], ['puffer jacket', 'puffer', 'puffer vest'], ['jacket', 'zip-up jacket', 'rain jacket'],
      ['hi-vis vest', 'hi vis', 'hi-vis work shirt'], ['t-shirt', 'tee', 'T shirt'], ['jersey', 'jumper', 'sweatshirt'],
      ['rugby jersey', 'footy jersey', 'sports jersey'], ['singlet', 'tank top'], ['Swanndri', 'swandri', 'bush shirt']],
  },
  UK: {
    code: 'UK', currency: 'GBP', cars: UK_CARS, carTable: new Table(UK_CARS, UK_CARS.map((c) => c.w)), plate: ukPlate, phone: ukPhone,
    utcOffsetHours(ms) {
      const d = new Date(ms);
      const m = d.getUTCMonth();
      const day = d.getUTCDate();
      const bst = (m > 2 && m < 9) || (m === 2 && day >= 29) || (m === 9 && day < 26);
      return bst ? 1 : 0;
    },
    policeRef: (rng) => String(rng.int(1, 99)).padStart(2, '0') + '/' + String(rng.int(10000, 999999)) + '/' + String(rng.int(25, 26)),
    priceIdx: 1, skuPrefix: '50',
    bottoms: [['joggers', 'tracksuit bottoms', 'trackies', 'jogging bottoms'], ['jeans', 'denim jeans'], ['shorts', 'gym shorts'],
      ['leggings', 'tights'], ['cargo trousers', 'combat trousers'], ['tracksuit', 'full tracksuit', 'trackie']],
    feet: [['trainers', 'trainers'], ['sliders', 'slides'], ['boots', 'work boots'], ['flip flops', 'flip-flops'], ['Air Max', 'Nike Air Max']],
    tops: [['hoodie', 'hoody', 'hooded top', 'hooded jumper'], ['puffer jacket', 'puffa jacket', 'padded jacket', 'bubble coat'],
      ['jacket', 'zip-up jacket', 'windbreaker'], ['hi-vis vest', 'hi vis', 'high-vis jacket'], ['t-shirt', 'tee', 'T shirt'],
      ['jumper', 'sweatshirt', 'sweater'], ['football shirt', 'footy top', 'football top'], ['tracksuit top', 'track top', 'trackie top'],
      ['parka', 'parka coat', 'coat with fur hood']],
  },
};

// ───────────────────────────── Products ─────────────────────────────

type Category = 'meat' | 'alcohol' | 'beauty' | 'baby' | 'confectionery' | 'dairy' | 'coffee' | 'electronics' | 'household'
  | 'tobacco' | 'fuel' | 'giftcards';

interface Product { name: string; cat: Category; prices: [number, number]; qty: [number, number] }

const PRODUCTS: Product[] = [
  { name: 'Beef scotch fillet 500g', cat: 'meat', prices: [22.99, 9.5], qty: [1, 6] },
  { name: 'Lamb leg roast 1.8kg', cat: 'meat', prices: [38.0, 18.0], qty: [1, 4] },
  { name: 'Chicken breast fillets 1kg', cat: 'meat', prices: [17.99, 6.5], qty: [1, 5] },
  { name: 'Beef mince 1kg', cat: 'meat', prices: [18.49, 6.0], qty: [1, 6] },
  { name: 'Pork belly 1kg', cat: 'meat', prices: [21.99, 7.0], qty: [1, 3] },
  { name: 'Salmon fillets 2pk', cat: 'meat', prices: [16.99, 5.5], qty: [1, 6] },
  { name: 'Vodka 1L', cat: 'alcohol', prices: [49.99, 18.0], qty: [1, 3] },
  { name: 'Whisky 700ml', cat: 'alcohol', prices: [59.99, 24.0], qty: [1, 3] },
  { name: 'Craft beer 6pk', cat: 'alcohol', prices: [24.99, 9.0], qty: [1, 4] },
  { name: 'Sauvignon blanc 750ml', cat: 'alcohol', prices: [15.99, 8.0], qty: [1, 6] },
  { name: 'Premium gin 700ml', cat: 'alcohol', prices: [64.99, 28.0], qty: [1, 2] },
  { name: 'Prosecco 750ml', cat: 'alcohol', prices: [19.99, 9.0], qty: [1, 4] },
  { name: 'Razor blades 8pk', cat: 'beauty', prices: [34.99, 16.0], qty: [2, 10] },
  { name: 'Electric toothbrush heads 4pk', cat: 'beauty', prices: [44.99, 22.0], qty: [1, 6] },
  { name: 'Perfume 100ml', cat: 'beauty', prices: [129.0, 65.0], qty: [1, 3] },
  { name: 'Face serum 30ml', cat: 'beauty', prices: [39.99, 19.0], qty: [1, 5] },
  { name: 'Teeth whitening strips', cat: 'beauty', prices: [49.99, 25.0], qty: [1, 4] },
  { name: 'Hair straightener', cat: 'beauty', prices: [89.0, 45.0], qty: [1, 2] },
  { name: 'Body spray 150ml', cat: 'beauty', prices: [8.99, 3.5], qty: [2, 8] },
  { name: 'Infant formula 900g', cat: 'baby', prices: [39.99, 14.0], qty: [1, 6] },
  { name: 'Baby wipes 3pk', cat: 'baby', prices: [12.99, 4.5], qty: [1, 4] },
  { name: 'Nappies 50pk', cat: 'baby', prices: [29.99, 11.0], qty: [1, 3] },
  { name: 'Chocolate block 250g', cat: 'confectionery', prices: [5.49, 2.5], qty: [2, 12] },
  { name: 'Chocolate gift box', cat: 'confectionery', prices: [19.99, 8.0], qty: [1, 4] },
  { name: 'Energy drink 4pk', cat: 'confectionery', prices: [13.99, 5.0], qty: [1, 4] },
  { name: 'Lollies share bag', cat: 'confectionery', prices: [4.99, 1.5], qty: [1, 6] },
  { name: 'Butter 500g', cat: 'dairy', prices: [8.99, 3.2], qty: [2, 10] },
  { name: 'Cheese block 1kg', cat: 'dairy', prices: [15.99, 7.0], qty: [1, 6] },
  { name: 'Manuka honey 250g', cat: 'dairy', prices: [59.99, 28.0], qty: [1, 4] },
  { name: 'Ground coffee 500g', cat: 'coffee', prices: [17.99, 6.5], qty: [1, 6] },
  { name: 'Coffee capsules 40pk', cat: 'coffee', prices: [24.99, 10.0], qty: [1, 5] },
  { name: 'Phone charger cable', cat: 'electronics', prices: [24.99, 12.0], qty: [1, 4] },
  { name: 'Wireless earbuds', cat: 'electronics', prices: [79.0, 39.0], qty: [1, 3] },
  { name: 'AA batteries 12pk', cat: 'electronics', prices: [19.99, 8.0], qty: [1, 6] },
  { name: 'Power bank', cat: 'electronics', prices: [49.99, 20.0], qty: [1, 2] },
  { name: 'Games controller', cat: 'electronics', prices: [109.0, 54.99], qty: [1, 2] },
  { name: 'Laundry capsules 40pk', cat: 'household', prices: [29.99, 11.0], qty: [1, 4] },
  { name: 'Dishwasher tablets 60pk', cat: 'household', prices: [27.99, 10.0], qty: [1, 4] },
  { name: 'Cordless drill', cat: 'household', prices: [149.0, 69.0], qty: [1, 1] },
  { name: 'Cigarettes 20pk', cat: 'tobacco', prices: [38.0, 15.5], qty: [5, 40] },
  { name: 'Vape pods 2pk', cat: 'tobacco', prices: [19.99, 8.0], qty: [2, 10] },
  { name: 'Unleaded 91 (litres)', cat: 'fuel', prices: [2.79, 1.45], qty: [20, 70] },
  { name: 'Diesel (litres)', cat: 'fuel', prices: [2.19, 1.52], qty: [30, 90] },
  { name: 'Gift card', cat: 'giftcards', prices: [50.0, 25.0], qty: [1, 4] },
  { name: 'Prepaid phone top-up', cat: 'giftcards', prices: [20.0, 10.0], qty: [1, 5] },
];
const PRODUCTS_BY_CAT = new Map<Category, number[]>();
PRODUCTS.forEach((p, i) => {
  const list = PRODUCTS_BY_CAT.get(p.cat) ?? [];
  list.push(i);
  PRODUCTS_BY_CAT.set(p.cat, list);
});
const FAVOURITE_CATS: [Category, number][] = [['meat', 14], ['alcohol', 16], ['beauty', 16], ['baby', 6], ['confectionery', 10],
  ['dairy', 8], ['coffee', 6], ['electronics', 10], ['household', 7], ['tobacco', 3]];

// ───────────────────────────── Event types ─────────────────────────────

const GENERAL_TYPES: [string, number][] = [['shoplifting', 62], ['pos-fraud', 7], ['refund-fraud', 3], ['drive-off', 3],
  ['threatening-behaviour', 5], ['verbal-abuse', 5], ['anti-social', 3], ['suspicious', 3], ['damage', 1.2], ['assault', 1.2],
  ['robbery', 1], ['theft-from-person', 0.6], ['cash-theft', 0.6], ['burglary', 0.4], ['currency-fraud', 0.5], ['other', 1]];
const MODUS: [string, number][] = [['shoplifting', 72], ['pos-fraud', 9], ['refund-fraud', 4], ['drive-off', 5],
  ['threatening-behaviour', 4], ['verbal-abuse', 3], ['robbery', 1], ['anti-social', 2]];
const PREVENTED_RATE: Record<string, number> = {
  shoplifting: 0.24, 'pos-fraud': 0.38, 'refund-fraud': 0.5, 'drive-off': 0.04, robbery: 0.12, burglary: 0.15,
  'currency-fraud': 0.45, 'cash-theft': 0.2, 'theft-from-person': 0.15, trespass: 0.0,
};

// ───────────────────────────── Regime configuration ─────────────────────────────

interface Quality {
  pId: number; // photo ID / police supplied details
  pVerbal: number; // stopped and asked, details given verbally (may be false)
  pKnownBase: number; // staff know the name without asking
  pKnownFam: number; // extra, rising with prior visits to this store
  pDobId: number; pDobVerbal: number; pDobKnown: number;
  pPhoneId: number; pPhoneVerbal: number; pPhoneKnown: number;
  pTypo: number; pVariant: number; pSwap: number; pGivenOnly: number; pFamilyOnly: number; pAliasShown: number;
  pFalseDetails: number; // share of repeat offenders who give false details when asked
  pAge: number; ageSd: number; pHeight: number; heightSd: number; pBuild: number;
  featureDetail: number; pHair: number; pClothing: number;
  pVehicleSeen: number; pOcr: number; pPartialPlate: number;
  pDescription: number; pProducts: number; pPolice: number;
}

interface RegimeConfig {
  name: string;
  description: string;
  country: CountryCode;
  leads: number; // people with at least one incident of their own
  events: number;
  towns: number;
  stores: number;
  areaKm: [number, number];
  surnames: 'small' | 'nz' | 'uk';
  headExp: number; // Zipf exponent over the ranked head list
  tailShare: number; // share of people with a long-tail surname
  givens: 'small' | 'nz' | 'uk';
  givenExp: number;
  k: { p1: number; p2: number; kMax: number };
  households: [number, number][];
  pCar: number;
  familyCrew: number;
  crewShare: number;
  crewTogether: number;
  adHoc: number;
  mobilityKm: number;
  q: Quality;
}

const BASE_Q: Quality = {
  pId: 0.3, pVerbal: 0.15, pKnownBase: 0.35, pKnownFam: 0.45,
  pDobId: 0.85, pDobVerbal: 0.55, pDobKnown: 0.08,
  pPhoneId: 0.3, pPhoneVerbal: 0.25, pPhoneKnown: 0.03,
  pTypo: 0.06, pVariant: 0.06, pSwap: 0.03, pGivenOnly: 0.18, pFamilyOnly: 0.05, pAliasShown: 0.2,
  pFalseDetails: 0.12,
  pAge: 0.7, ageSd: 3.5, pHeight: 0.45, heightSd: 5, pBuild: 0.6,
  featureDetail: 1, pHair: 0.3, pClothing: 0.85,
  pVehicleSeen: 0.12, pOcr: 0.1, pPartialPlate: 0.04,
  pDescription: 0.7, pProducts: 0.8, pPolice: 0.2,
};

const CONFIGS: Record<string, RegimeConfig> = {
  'small-namesakes': {
    name: 'small-namesakes',
    description: 'Small NZ retailer (6 stores in one rural district): ~240 people, 520 events; 36 family surnames and ~30 given names per sex drawn Zipf-like, so many namesakes (incl. Thompson/Thomson, Clark/Clarke as different families, fathers and sons with the same name); relatives share surnames and cars.',
    country: 'NZ', leads: 205, events: 520, towns: 3, stores: 6, areaKm: [40, 30],
    surnames: 'small', headExp: 0.9, tailShare: 0.08, givens: 'small', givenExp: 0.8,
    k: { p1: 0.42, p2: 0.2, kMax: 25 },
    households: [[1, 40], [2, 30], [3, 18], [4, 12]], pCar: 0.55,
    familyCrew: 0.35, crewShare: 0.22, crewTogether: 0.5, adHoc: 0.1, mobilityKm: 10,
    q: { ...BASE_Q, pId: 0.3, pVerbal: 0.18, pKnownBase: 0.55, pKnownFam: 0.5, pVehicleSeen: 0.22, pDescription: 0.7 },
  },
  large: {
    name: 'large',
    description: 'Large UK retailer (320 stores in 48 towns): ~25,000 people, 52,000 events; GB surname frequencies (Zipf head of ~330 common names plus a long tail of rare ones), most people once or twice, a few hundred prolific offenders with 10-40 events.',
    country: 'UK', leads: 21600, events: 52000, towns: 48, stores: 320, areaKm: [600, 450],
    surnames: 'uk', headExp: 0.6, tailShare: 0.64, givens: 'uk', givenExp: 0.7,
    k: { p1: 0.52, p2: 0.2, kMax: 40 },
    households: [[1, 64], [2, 24], [3, 8], [4, 4]], pCar: 0.45,
    familyCrew: 0.25, crewShare: 0.12, crewTogether: 0.45, adHoc: 0.1, mobilityKm: 5,
    q: { ...BASE_Q, pId: 0.28, pVerbal: 0.14, pKnownBase: 0.3, pKnownFam: 0.45, pAge: 0.6, pHeight: 0.35, pBuild: 0.45,
      pClothing: 0.75, pVehicleSeen: 0.1, pDescription: 0.6 },
  },
  sparse: {
    name: 'sparse',
    description: 'Hurried reports at a mid-sized NZ chain (28 stores): ~1,750 people, 3,600 events; most people unnamed, DOB and phone rarely captured; descriptions of features, clothing, age, height, build and sometimes a plate carry the identity.',
    country: 'NZ', leads: 1500, events: 3600, towns: 10, stores: 28, areaKm: [250, 200],
    surnames: 'nz', headExp: 0.65, tailShare: 0.45, givens: 'nz', givenExp: 0.7,
    k: { p1: 0.48, p2: 0.2, kMax: 35 },
    households: [[1, 58], [2, 26], [3, 10], [4, 6]], pCar: 0.5,
    familyCrew: 0.3, crewShare: 0.15, crewTogether: 0.5, adHoc: 0.1, mobilityKm: 6,
    q: { ...BASE_Q, pId: 0.08, pVerbal: 0.07, pKnownBase: 0.2, pKnownFam: 0.35, pDobId: 0.6, pDobVerbal: 0.35, pDobKnown: 0.02,
      pPhoneId: 0.15, pPhoneVerbal: 0.1, pPhoneKnown: 0.01, pTypo: 0.09, pVariant: 0.08, pGivenOnly: 0.3, pAge: 0.88,
      ageSd: 4.5, pHeight: 0.65, heightSd: 6, pBuild: 0.78, featureDetail: 1.25, pHair: 0.45, pClothing: 0.95,
      pVehicleSeen: 0.2, pOcr: 0.14, pPartialPlate: 0.07, pDescription: 0.45, pProducts: 0.6 },
  },
  medium: {
    name: 'medium',
    description: 'Mid-sized UK retailer (60 stores): ~3,500 people, 7,000 events; ordinary report quality.',
    country: 'UK', leads: 3000, events: 7000, towns: 16, stores: 60, areaKm: [200, 150],
    surnames: 'uk', headExp: 0.6, tailShare: 0.6, givens: 'uk', givenExp: 0.7,
    k: { p1: 0.5, p2: 0.2, kMax: 35 },
    households: [[1, 62], [2, 25], [3, 9], [4, 4]], pCar: 0.45,
    familyCrew: 0.25, crewShare: 0.14, crewTogether: 0.45, adHoc: 0.1, mobilityKm: 5,
    q: { ...BASE_Q },
  },
};

// ───────────────────────────── Name pools ─────────────────────────────

interface GivenEntry { name: string; peak: number; rank: number }

function parseGiven(list: string[]): GivenEntry[] {
  return list.map((e, i) => {
    const [n, y] = e.split(':');
    return { name: (n as string).trim(), peak: Number(y), rank: i + 1 };
  });
}

class GivenPool {
  private readonly entries: GivenEntry[];
  private readonly cache = new Map<number, Table<string>>();
  private readonly rare: Table<string> | null;

  constructor(list: string[], private readonly exp: number, rare: string[], private readonly rareShare: number) {
    this.entries = parseGiven(list);
    this.rare = rare.length > 0 ? new Table(rare, rare.map((_, i) => zipf(i + 1, 0.4))) : null;
  }

  sample(rng: Rng, birthYear: number): string {
    if (this.rare && rng.chance(this.rareShare)) return this.rare.sample(rng);
    const bucket = Math.round(birthYear / 4) * 4;
    let t = this.cache.get(bucket);
    if (!t) {
      const w = this.entries.map((e) => {
        const d = (bucket - e.peak) / 13;
        return zipf(e.rank, this.exp) * (Math.exp(-d * d) + 0.03);
      });
      t = new Table(this.entries.map((e) => e.name), w);
      this.cache.set(bucket, t);
    }
    return t.sample(rng);
  }
}

// English place-name surnames (Ashworth, Bradley, Thornton...): real stems and endings recombined.
const TOPO_STEMS = ['Ash', 'Black', 'Brad', 'Bram', 'Brom', 'Buck', 'Cald', 'Chat', 'Clay', 'Cold', 'Cran', 'Dun', 'East', 'Farn', 'Gold',
  'Hal', 'Hart', 'Hay', 'Hol', 'Horn', 'Kings', 'Lang', 'Lid', 'Mars', 'Mid', 'Mil', 'Nor', 'Oak', 'Pen', 'Rad', 'Ray', 'Red', 'Rush',
  'Sand', 'Shel', 'Stan', 'Stock', 'Sum', 'Thorn', 'Wal', 'Wes', 'Whit', 'Wood', 'Wor', 'Brent', 'Chad', 'Crom', 'Dal', 'Elm', 'Fair',
  'Glad', 'Har', 'Kel', 'Lock', 'Net', 'Pick', 'Ram', 'Roth', 'Salt', 'Sut', 'Ten', 'Ux', 'Wy', 'Ather', 'Barn', 'Bick', 'Cow', 'Dew',
  'Fen', 'Gar', 'Hep', 'Ing', 'Kirk', 'Lever', 'Moss', 'Ot', 'Pem', 'Ring', 'Sel', 'Tod', 'Wad', 'Win', 'Yar', 'Ack', 'Bur', 'Col'];
const TOPO_ENDINGS = ['ley', 'ton', 'ford', 'well', 'worth', 'wood', 'field', 'by', 'ham', 'den', 'dale', 'combe', 'bury', 'more', 'shaw',
  'stead', 'wick', 'land', 'bridge', 'brook', 'croft', 'hurst', 'thorpe', 'low', 'ridge', 'stone', 'cott', 'ington', 'all',
  'holme', 'sley', 'grave', 'wright'];
// Rarer still: simple one-syllable roots with the same endings (Tamford, Bellingham, Dorrick...).
const SYL_ONSETS = ['B', 'Br', 'C', 'Ch', 'D', 'Dr', 'F', 'G', 'Gr', 'H', 'K', 'L', 'M', 'N', 'P', 'Pr', 'R', 'S', 'St', 'T', 'Tr', 'W'];
const SYL_VOWELS = ['a', 'e', 'i', 'o', 'u'];
const SYL_CODAS = ['b', 'd', 'g', 'l', 'm', 'n', 'r', 't', 'ck', 'nd', 'rt', 'st', 'll', 'rn', 'mb'];
const VOWEL_ENDINGS = ['er', 'ell', 'ett', 'ington', 'all', 'ey', 'ing', 'ick', 'ard', 'ock'];

/** A long tail of rare surnames: real rare ones first, then recombined English place-name forms. */
function buildTail(rng: Rng, rare: string[], size: number): string[] {
  const out: string[] = [...rare];
  const seen = new Set(out);
  const topo: string[] = [];
  for (const a of TOPO_STEMS) for (const b of TOPO_ENDINGS) topo.push(a + (a.endsWith(b[0] as string) && b.length > 2 ? b.slice(1) : b));
  const syl: string[] = [];
  for (const o of SYL_ONSETS) {
    for (const v of SYL_VOWELS) {
      for (const c of SYL_CODAS) {
        for (const e of [...TOPO_ENDINGS, ...VOWEL_ENDINGS]) {
          if (c.length === 2 && !/^[aeiou]/.test(e)) continue; // no three-consonant clusters
          syl.push(o + v + c + e);
        }
      }
    }
  }
  rng.shuffle(topo);
  rng.shuffle(syl);
  let i = 0;
  let j = 0;
  while (out.length < size && (i < topo.length || j < syl.length)) {
    const name = (rng.chance(0.35) && i < topo.length) || j >= syl.length ? (topo[i++] as string) : (syl[j++] as string);
    if (!seen.has(name)) {
      seen.add(name);
      out.push(name);
    }
  }
  return out;
}

class SurnamePool {
  private readonly head: Table<string>;
  private readonly tail: Table<string> | null;

  constructor(rng: Rng, private readonly cfg: RegimeConfig) {
    const headList = cfg.surnames === 'small' ? SMALL_TOWN_SURNAMES : cfg.surnames === 'nz' ? NZ_SURNAMES : UK_SURNAMES;
    const uniqHead = [...new Set(headList)];
    this.head = new Table(uniqHead, uniqHead.map((_, i) => zipf(i + 1, cfg.headExp)));
    if (cfg.surnames === 'small') {
      // Outsiders who moved into the district: a handful from the national list.
      const t = NZ_SURNAMES.filter((s) => !uniqHead.includes(s)).slice(0, 80);
      this.tail = new Table(t, t.map((_, i) => zipf(i + 1, 1)));
    } else {
      const rare = cfg.surnames === 'nz' ? NZ_RARE : UK_RARE;
      const size = Math.max(3000, cfg.leads * 2);
      const list = buildTail(rng, rare, size);
      this.tail = new Table(list, list.map((_, i) => zipf(i + 1, 0.35)));
    }
  }

  sample(rng: Rng): string {
    if (this.tail && rng.chance(this.cfg.tailShare)) return this.tail.sample(rng);
    return this.head.sample(rng);
  }
}

// ───────────────────────────── People ─────────────────────────────

type Sex = 'M' | 'F';
type Build = 'slim' | 'medium' | 'heavy';

interface Vehicle { plate: string; make: string; model: string; colour: string; makeDef: CarMake }
interface Timed<T> { from: number; v: T }

interface Feature { kind: 'tattoo' | 'scar' | 'piercing' | 'teeth' | 'mark' | 'glasses'; key: string; side: 'left' | 'right'; loc: string; vis: number }

interface Household {
  id: number;
  town: number;
  x: number;
  y: number;
  family: string;
  cars: Timed<Vehicle>[][]; // per car slot, a timeline of vehicles
  members: Person[];
}

interface Person {
  idx: number;
  id: string;
  sex: Sex;
  birth: [number, number, number]; // y, m (1-12), d
  given: string;
  middle: string | null;
  family: string;
  goesBy: string; // the form friends and staff use
  aliases: string[];
  fake: { given: string; family: string; birth: [number, number, number] } | null;
  phones: Timed<string>[];
  height: number;
  build: Build;
  ageBias: number;
  heightBias: number;
  features: Feature[];
  hairColour: string;
  hair: Timed<string>[];
  facial: Timed<string>[];
  signature: string | null;
  household: Household;
  relation: 'head' | 'sibling' | 'parent' | 'child' | 'partner' | 'cousin';
  stores: Table<number>;
  crew: Person[] | null;
  mo: string;
  cats: Category[];
  k: number;
  /** Uses somebody else's car now and then (a friend's, a relative's elsewhere). */
  borrowsCars: boolean;
  lenders: Person[] | null;
}

interface Town { x: number; y: number; size: number; radius: number }
interface Store { id: string; x: number; y: number; town: number; quality: number; style: number }

const START = Date.UTC(2025, 0, 1);
const END = Date.UTC(2026, 8, 30);
const DAY = 86400000;
const REF_YEAR = 2025.5;

const AGE_BANDS: [[number, number], number][] = [[[18, 24], 24], [[25, 34], 34], [[35, 44], 23], [[45, 54], 12], [[55, 72], 7]];

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

function birthFromAge(rng: Rng, age: number): [number, number, number] {
  const yf = REF_YEAR - age - rng.next();
  const y = Math.floor(yf);
  const m = rng.int(1, 12);
  const d = rng.int(1, daysInMonth(y, m));
  return [y, m, d];
}

function ageAt(birth: [number, number, number], ms: number): number {
  const b = Date.UTC(birth[0], birth[1] - 1, birth[2]);
  return (ms - b) / (365.25 * DAY);
}

const TATTOO_MOTIFS: string[][] = [
  ['snake', 'serpent', 'snake'], ['skull', 'skull'], ['spider web', 'spiderweb', 'cobweb', 'web'], ['dragon'], ['rose', 'flower', 'roses'],
  ['star', 'stars', 'nautical star'], ['swallow', 'bird', 'swallows'], ['clock', 'pocket watch', 'clock face'], ['wolf', 'wolf head'],
  ['tiger', 'tiger head'], ['eagle', 'bird'], ['butterfly'], ['anchor'], ['dice', 'pair of dice'], ['lion', 'lion head'],
  ['heart', 'love heart'], ['MUM', 'mum', '"Mum"'], ['compass'], ['feather'], ['crown'], ['scorpion'], ['barcode', 'bar code'],
  ['name', 'writing', 'lettering', 'script'], ['playing cards', 'cards', 'ace of spades'], ['skull and roses', 'skull with roses'],
  ['teardrop', 'tear drop', 'teardrop'],
];
const TEARDROP = TATTOO_MOTIFS.length - 1;
// Location: [key, phrasings with a side ({s}), phrasings without, visibility]. The first sided form is the usual one.
const TATTOO_LOCS: [string, string[], string[], number][] = [
  ['forearm', ['{s} forearm', '{s} lower arm', '{s} arm', 'inside of {s} forearm'], ['forearm', 'arm', 'lower arm'], 0.5],
  ['upper arm', ['{s} upper arm', '{s} bicep', '{s} arm', '{s} shoulder'], ['upper arm', 'arm', 'shoulder'], 0.25],
  ['hand', ['{s} hand', 'back of {s} hand'], ['hand', 'back of hand'], 0.8],
  ['neck', ['{s} side of neck', 'neck ({s})', '{s} side of the neck', '{s} neck'], ['neck', 'side of neck'], 0.8],
  ['wrist', ['{s} wrist', 'inside {s} wrist'], ['wrist'], 0.5],
  ['calf', ['{s} calf', '{s} leg', '{s} lower leg'], ['calf', 'leg'], 0.25],
  ['face', ['{s} cheek', '{s} side of face', 'under {s} eye', '{s} temple'], ['face', 'cheek'], 0.9],
  ['knuckles', ['{s} hand knuckles'], ['knuckles', 'fingers'], 0.6],
  ['behind ear', ['behind {s} ear', 'behind the {s} ear'], ['behind ear', 'behind the ear'], 0.4],
];
const TATTOO_LOC_W: [string, number][] = [['forearm', 30], ['upper arm', 12], ['hand', 12], ['neck', 16], ['wrist', 6], ['calf', 6],
  ['face', 5], ['knuckles', 8], ['behind ear', 5]];
const SCAR_LOCS: [string, string[]][] = [['cheek', ['cheek', 'side of face']], ['eyebrow', ['eyebrow', 'brow']], ['chin', ['chin']],
  ['forehead', ['forehead']], ['lip', ['lip', 'top lip']], ['neck', ['neck']], ['hand', ['hand', 'back of hand']], ['nose', ['nose', 'bridge of nose']]];
const PIERCINGS: [string, string[]][] = [
  ['nose', ['nose ring', 'nose stud', 'pierced nose', 'ring in nose']],
  ['septum', ['septum ring', 'septum piercing', 'ring through middle of nose']],
  ['eyebrow', ['eyebrow piercing', 'pierced eyebrow', 'eyebrow ring', 'bar through eyebrow']],
  ['lip', ['lip ring', 'lip piercing', 'pierced lip', 'lip stud']],
  ['stretched', ['stretched ears', 'ear plugs', 'stretched earlobes', 'large ear gauges', 'flesh tunnels in ears']],
  ['ears', ['lots of ear piercings', 'multiple earrings', 'several ear piercings', 'ears pierced multiple times']],
];
const TEETH: [string, string[]][] = [
  ['gold', ['gold tooth', 'gold front tooth', 'gold tooth at front', 'gold tooth (front)']],
  ['missing', ['missing front tooth', 'gap where front tooth missing', 'front tooth missing', 'missing tooth at front']],
  ['chipped', ['chipped front tooth', 'broken front tooth', 'chipped tooth']],
];
const MARKS: [string, string[]][] = [
  ['mole', ['mole on {side} cheek', '{side} cheek mole', 'large mole on cheek', 'mole on face']],
  ['birthmark', ['birthmark on neck', 'birth mark side of neck', 'red birthmark on neck']],
  ['freckles', ['freckles', 'freckled face', 'lots of freckles']],
];
const GLASSES = ['glasses', 'wears glasses', 'thick rimmed glasses', 'specs', 'black framed glasses', 'round glasses'];

const HAIR_COLOURS: [string, number][] = [['brown', 50], ['light brown', 12], ['blonde', 14], ['ginger', 6], ['grey', 0]];
const HAIR_STYLES_M: [string, number][] = [['short', 34], ['shaved', 22], ['mullet', 8], ['curly', 8], ['long', 5], ['undercut', 8],
  ['bun', 4], ['bleached', 4], ['bald', 7]];
const HAIR_STYLES_F: [string, number][] = [['ponytail', 30], ['long', 28], ['bun', 12], ['short', 8], ['curly', 8], ['bleached', 8],
  ['dyed', 6]];
const FACIAL_M: [string, number][] = [['none', 45], ['stubble', 20], ['beard', 17], ['goatee', 10], ['moustache', 8]];

function makeFeatures(rng: Rng): Feature[] {
  const n = rng.w([[0, 34], [1, 34], [2, 21], [3, 11]] as const);
  const out: Feature[] = [];
  const used = new Set<string>();
  for (let i = 0; i < n; i++) {
    const kind = rng.w([['tattoo', 50], ['scar', 14], ['piercing', 18], ['teeth', 7], ['mark', 6], ['glasses', 5]] as const);
    const side: 'left' | 'right' = rng.chance(0.5) ? 'left' : 'right';
    let f: Feature;
    if (kind === 'tattoo') {
      const loc = rng.w(TATTOO_LOC_W);
      const locDef = TATTOO_LOCS.find((l) => l[0] === loc) as [string, string[], string[], number];
      const motifIdx = loc === 'face' ? rng.pick([TEARDROP, TEARDROP, 5, 22, 2]) : loc === 'knuckles' ? 22 : rng.int(0, TATTOO_MOTIFS.length - 2);
      f = { kind, key: String(motifIdx), side, loc, vis: locDef[3] };
    } else if (kind === 'scar') {
      const loc = rng.pick(SCAR_LOCS)[0];
      f = { kind, key: loc, side, loc, vis: loc === 'hand' || loc === 'neck' ? 0.35 : 0.55 };
    } else if (kind === 'piercing') {
      f = { kind, key: rng.pick(PIERCINGS)[0], side, loc: '', vis: 0.55 };
    } else if (kind === 'teeth') {
      f = { kind, key: rng.pick(TEETH)[0], side, loc: '', vis: 0.3 };
    } else if (kind === 'mark') {
      f = { kind, key: rng.pick(MARKS)[0], side, loc: '', vis: 0.35 };
    } else {
      f = { kind, key: 'glasses', side, loc: '', vis: 0.7 };
    }
    const sig = f.kind + f.key + f.loc;
    if (used.has(sig)) continue;
    used.add(sig);
    out.push(f);
  }
  return out;
}

function timeline<T>(rng: Rng, first: T, changeEveryDays: number, next: (prev: T) => T): Timed<T>[] {
  const out: Timed<T>[] = [{ from: -Infinity, v: first }];
  let t = START + rng.expo(changeEveryDays * DAY);
  let cur = first;
  while (t < END) {
    cur = next(cur);
    out.push({ from: t, v: cur });
    t += rng.expo(changeEveryDays * DAY);
  }
  return out;
}

function at<T>(tl: Timed<T>[], t: number): T {
  let v = (tl[0] as Timed<T>).v;
  for (const e of tl) {
    if (e.from <= t) v = e.v;
    else break;
  }
  return v;
}

function makeVehicle(rng: Rng, country: CountryDef): Vehicle {
  const def = country.carTable.sample(rng);
  return { plate: country.plate(rng), make: def.make, model: rng.pick(def.models), colour: rng.w(CAR_COLOURS), makeDef: def };
}

function deriveAlias(rng: Rng, p: { family: string; given: string; sex: Sex }): string {
  const fam = p.family.replace(/[^A-Za-z]/g, '');
  const r = rng.next();
  if (r < 0.4 && fam.length >= 3) {
    // Australasian/British surname nicknames: Smithy, Jonesy, Thommo, Robbo, Macca, Hendo.
    if (/^(Mc|Mac)/.test(fam)) return 'Macca';
    if (fam.length <= 5 && !/[aeiouy]$/.test(fam)) return fam + 'y';
    const stem = /^[^aeiou]*[aeiou]+[^aeiou]/i.exec(fam)?.[0] ?? fam.slice(0, 3);
    const last = stem.charAt(stem.length - 1);
    return rng.chance(0.6) && !/[hwy]/.test(last) ? stem + last + 'o' : stem + (rng.chance(0.5) ? 'do' : 'sy');
  }
  if (r < 0.55) {
    const g = p.given.replace(/[^A-Za-z]/g, '');
    return (rng.chance(0.5) ? 'Big ' : 'Lil ') + (NICKNAMES[g]?.[0] ?? g);
  }
  return rng.pick(p.sex === 'M' ? STREET_ALIASES_M : STREET_ALIASES_F);
}

// ───────────────────────────── Geography ─────────────────────────────

function buildGeo(rng: Rng, cfg: RegimeConfig): { towns: Town[]; stores: Store[]; townTable: Table<number> } {
  const towns: Town[] = [];
  for (let i = 0; i < cfg.towns; i++) {
    const size = zipf(i + 1, 1.0);
    towns.push({ x: rng.next() * cfg.areaKm[0], y: rng.next() * cfg.areaKm[1], size, radius: 2 + 6 * Math.sqrt(size) });
  }
  const townTable = new Table(towns.map((_, i) => i), towns.map((t) => t.size));
  const stores: Store[] = [];
  // Every town gets one store, the rest proportionally to size.
  const order: number[] = towns.map((_, i) => i);
  for (let s = cfg.towns; s < cfg.stores; s++) order.push(townTable.sample(rng));
  order.sort((a, b) => a - b);
  order.forEach((ti, s) => {
    const t = towns[ti] as Town;
    stores.push({
      id: 'store-' + String(s + 1).padStart(3, '0'),
      x: t.x + rng.normal() * t.radius * 0.7,
      y: t.y + rng.normal() * t.radius * 0.7,
      town: ti,
      quality: clamp(1 + rng.normal() * 0.2, 0.6, 1.4),
      style: rng.int(0, 7),
    });
  });
  return { towns, stores, townTable };
}

function storeTableFor(rng: Rng, stores: Store[], x: number, y: number, scaleKm: number): Table<number> {
  const scored: [number, number][] = [];
  for (let i = 0; i < stores.length; i++) {
    const s = stores[i] as Store;
    const d = Math.hypot(s.x - x, s.y - y);
    scored.push([i, d]);
  }
  scored.sort((a, b) => a[1] - b[1]);
  const top = scored.slice(0, 7);
  const weights = top.map(([, d], j) => Math.exp(-d / scaleKm) * (j === 0 ? 3 : 1) * (0.5 + rng.next()) + 1e-6);
  return new Table(top.map(([i]) => i), weights);
}

// ───────────────────────────── Activity counts ─────────────────────────────

function drawCounts(rng: Rng, cfg: RegimeConfig): number[] {
  const { p1, p2, kMax } = cfg.k;
  const target = cfg.events / cfg.leads;
  const tailMean = (s: number): number => {
    let a = 0;
    let b = 0;
    for (let k = 3; k <= kMax; k++) {
      a += k * zipf(k, s);
      b += zipf(k, s);
    }
    return a / b;
  };
  const needTail = (target - p1 - 2 * p2) / (1 - p1 - p2);
  let lo = 0.5;
  let hi = 6;
  for (let i = 0; i < 50; i++) {
    const mid = (lo + hi) / 2;
    if (tailMean(mid) > needTail) lo = mid;
    else hi = mid;
  }
  const ks: number[] = [];
  for (let k = 3; k <= kMax; k++) ks.push(k);
  const tail = new Table(ks, ks.map((k) => zipf(k, lo)));
  const out: number[] = [];
  for (let i = 0; i < cfg.leads; i++) {
    const r = rng.next();
    out.push(r < p1 ? 1 : r < p1 + p2 ? 2 : tail.sample(rng));
  }
  // Adjust to exactly cfg.events while keeping the shape (touch only people with k ≥ 3).
  let diff = cfg.events - out.reduce((a, b) => a + b, 0);
  let guard = 0;
  while (diff !== 0 && guard++ < 10_000_000) {
    const i = rng.int(0, out.length - 1);
    const k = out[i] as number;
    if (diff > 0 && k >= 3 && k < kMax) {
      out[i] = k + 1;
      diff--;
    } else if (diff < 0 && k >= 4) {
      out[i] = k - 1;
      diff++;
    }
  }
  return out;
}

// ───────────────────────────── Population ─────────────────────────────

interface World {
  cfg: RegimeConfig;
  country: CountryDef;
  towns: Town[];
  stores: Store[];
  townTable: Table<number>;
  surnames: SurnamePool;
  givenM: GivenPool;
  givenF: GivenPool;
  people: Person[];
  households: Household[];
  byTown: Person[][];
}

function newHousehold(rng: Rng, w: World, town: number, family: string): Household {
  const t = w.towns[town] as Town;
  const h: Household = {
    id: w.households.length, town, family, members: [], cars: [],
    x: t.x + rng.normal() * t.radius, y: t.y + rng.normal() * t.radius,
  };
  if (rng.chance(w.cfg.pCar)) {
    const slots = rng.chance(0.18) ? 2 : 1;
    for (let s = 0; s < slots; s++) {
      h.cars.push(timeline(rng, makeVehicle(rng, w.country), 500, (prev) => {
        // A replacement car; occasionally the same car re-registered with new plates (personalised plates).
        if (rng.chance(0.08)) return { ...prev, plate: w.country.plate(rng) };
        return makeVehicle(rng, w.country);
      }));
    }
  }
  w.households.push(h);
  return h;
}

function makePerson(rng: Rng, w: World, h: Household, relation: Person['relation'], anchor: Person | null, k: number): Person {
  let sex: Sex = rng.chance(0.7) ? 'M' : 'F';
  let age: number;
  let family = h.family;
  if (!anchor) {
    const band = rng.w(AGE_BANDS);
    age = band[0] + rng.next() * (band[1] - band[0] + 1);
  } else {
    const a = ageAt(anchor.birth, Date.UTC(2025, 6, 1));
    if (relation === 'sibling') age = a + rng.normal() * 4;
    else if (relation === 'parent') age = a + 20 + rng.next() * 12;
    else if (relation === 'child') age = a - 20 - rng.next() * 12;
    else if (relation === 'partner') {
      age = a + rng.normal() * 4;
      sex = anchor.sex === 'M' ? (rng.chance(0.9) ? 'F' : 'M') : rng.chance(0.9) ? 'M' : 'F';
      if (rng.chance(0.6)) family = w.surnames.sample(rng);
    } else {
      age = a + rng.normal() * 8;
      if (rng.chance(0.5)) family = w.surnames.sample(rng);
    }
    if (relation === 'sibling' && rng.chance(0.1)) family = w.surnames.sample(rng); // half-sibling
    age = clamp(age, 18, 78);
  }
  const birth = birthFromAge(rng, age);
  const pool = sex === 'M' ? w.givenM : w.givenF;
  let given = pool.sample(rng, birth[0]);
  // Fathers and sons sharing a given name, a classic namesake trap.
  if (anchor && anchor.sex === 'M' && sex === 'M' && (relation === 'child' || relation === 'parent') && rng.chance(0.15)) given = anchor.given;
  else if (anchor && relation === 'sibling' && given === anchor.given) given = pool.sample(rng, birth[0]);
  let middle: string | null = rng.chance(0.6) ? pool.sample(rng, birth[0] - 25) : null;
  if (middle === given) middle = null;
  const nicks = NICKNAMES[given];
  const goesBy = nicks && rng.chance(0.45) ? rng.pick(nicks) : given;
  const height = Math.round(sex === 'M' ? 176 + rng.normal() * 7 : 163 + rng.normal() * 6.5);
  const build = rng.w([['slim', 35], ['medium', 45], ['heavy', 20]] as const) as Build;
  const phones: Timed<string>[] = [];
  if (rng.chance(0.88)) {
    phones.push(...timeline(rng, w.country.phone(rng), 420, () => w.country.phone(rng)));
  }
  const ageNow = ageAt(birth, Date.UTC(2025, 6, 1));
  const colourW = HAIR_COLOURS.map(([c, wt]) => [c, c === 'grey' ? Math.max(0, ageNow - 42) * 2 : wt] as [string, number]);
  const hairColour = rng.w(colourW);
  const styles = sex === 'M' ? HAIR_STYLES_M : HAIR_STYLES_F;
  const firstStyle = ageNow > 40 && sex === 'M' && rng.chance(0.25) ? 'bald' : rng.w(styles);
  const withDye = (st: string): string => (st === 'dyed' ? 'dyed:' + rng.pick(['pink', 'purple', 'blue', 'red', 'green']) : st);
  const hair = timeline(rng, withDye(firstStyle), 150, (prev) => (prev === 'bald' ? 'bald' : withDye(rng.w(styles))));
  const facial = sex === 'M' ? timeline(rng, rng.w(FACIAL_M), 120, () => rng.w(FACIAL_M)) : [{ from: -Infinity, v: 'none' }];
  const cats: Category[] = [rng.w(FAVOURITE_CATS)];
  if (rng.chance(0.5)) cats.push(rng.w(FAVOURITE_CATS));
  const p: Person = {
    idx: w.people.length, id: '', sex, birth, given, middle, family, goesBy, aliases: [], fake: null, phones,
    height, build, ageBias: rng.normal() * 2.5, heightBias: rng.normal() * 3, features: makeFeatures(rng), hairColour, hair, facial,
    signature: null, household: h, relation, stores: storeTableFor(rng, w.stores, h.x, h.y, w.cfg.mobilityKm * (rng.chance(0.04) ? 15 : 1)),
    crew: null, mo: rng.w(MODUS), cats, k, borrowsCars: rng.chance(0.2), lenders: null,
  };
  p.id = 'person-' + String(p.idx + 1).padStart(6, '0');
  if (p.mo === 'drive-off' && h.cars.length === 0) p.mo = 'shoplifting';
  if (rng.chance(0.45)) p.signature = signatureItem(rng, w.country);
  const aliasP = k >= 6 ? 0.45 : k >= 3 ? 0.25 : 0.08;
  if (rng.chance(aliasP)) {
    p.aliases.push(deriveAlias(rng, p));
    if (rng.chance(0.15)) p.aliases.push(deriveAlias(rng, p));
    p.aliases = [...new Set(p.aliases)];
  }
  if (k >= 2 && rng.chance(w.cfg.q.pFalseDetails)) {
    const fb = birthFromAge(rng, clamp(ageNow + rng.normal() * 3, 18, 70));
    p.fake = { given: rng.chance(0.5) ? given : pool.sample(rng, birth[0]), family: w.surnames.sample(rng), birth: fb };
  }
  w.people.push(p);
  h.members.push(p);
  (w.byTown[h.town] as Person[]).push(p);
  return p;
}

function buildPopulation(rng: Rng, w: World): void {
  const cfg = w.cfg;
  const counts = drawCounts(rng, cfg);
  let ci = 0;
  while (ci < counts.length) {
    const size = Math.min(rng.w(cfg.households), counts.length - ci);
    const town = w.townTable.sample(rng);
    const h = newHousehold(rng, w, town, w.surnames.sample(rng));
    if (rng.chance(0.012) && cfg.country === 'UK') h.family = h.family + '-' + w.surnames.sample(rng);
    const head = makePerson(rng, w, h, 'head', null, counts[ci++] as number);
    for (let j = 1; j < size; j++) {
      const rel = rng.w([['sibling', 45], ['parent', 12], ['child', 13], ['partner', 20], ['cousin', 10]] as const);
      makePerson(rng, w, h, rel, head, counts[ci++] as number);
    }
  }
  // Crews: families who offend together, and groups of friends from the same town.
  for (const h of w.households) {
    if (h.members.length >= 2 && rng.chance(cfg.familyCrew)) {
      const crew = h.members.slice(0, 4);
      for (const m of crew) m.crew = crew;
    }
  }
  const target = Math.round(cfg.crewShare * w.people.length);
  let inCrew = w.people.filter((p) => p.crew).length;
  for (const list of w.byTown) {
    const cands = rng.shuffle(list.filter((p) => !p.crew && p.k >= 2));
    let i = 0;
    const townTarget = Math.round((target - inCrew) * (list.length / Math.max(1, w.people.length)) * 1.6);
    let made = 0;
    while (i < cands.length - 1 && made < townTarget && inCrew < target) {
      const size = Math.min(rng.w([[2, 60], [3, 30], [4, 10]] as const), cands.length - i);
      if (size < 2) break;
      const crew = cands.slice(i, i + size);
      for (const m of crew) m.crew = crew;
      i += size;
      made += size;
      inCrew += size;
    }
  }
}

// ───────────────────────────── Incident skeletons ─────────────────────────────

interface Skeleton { seq: number; t: number; store: number; type: string; lead: Person; companions: Person[] }

function localHour(rng: Rng): number {
  const hours: [number, number][] = [[7, 1], [8, 2], [9, 3], [10, 5], [11, 6], [12, 7], [13, 7], [14, 7], [15, 8], [16, 9], [17, 9],
    [18, 7], [19, 5], [20, 3], [21, 2]];
  return rng.w(hours);
}

function scheduleTimes(rng: Rng, k: number): number[] {
  const span = END - START;
  if (k === 1) return [START + rng.next() * span];
  const durDays = Math.min(span / DAY - 1, (20 + k * (6 + rng.next() * 30)) * (0.5 + rng.next()));
  const s0 = START + rng.next() * (span - durDays * DAY);
  const out: number[] = [];
  let prev = s0 + rng.next() * durDays * DAY;
  for (let i = 0; i < k; i++) {
    let t = i > 0 && rng.chance(0.2) ? prev + rng.expo(4 * DAY) : s0 + rng.next() * durDays * DAY;
    t = clamp(t, START, END - DAY);
    out.push(t);
    prev = t;
  }
  return out.sort((a, b) => a - b);
}

function toOccurredAt(rng: Rng, country: CountryDef, dayMs: number): number {
  const day = Math.floor(dayMs / DAY) * DAY;
  const h = localHour(rng);
  const min = rng.chance(0.6) ? rng.int(0, 11) * 5 : rng.int(0, 59);
  return day + (h * 60 + min) * 60000 - country.utcOffsetHours(day) * 3600000;
}

function chooseType(rng: Rng, p: Person, hasCar: boolean): string {
  let t = rng.chance(0.7) ? p.mo : rng.w(GENERAL_TYPES);
  if (t === 'drive-off' && !hasCar) t = 'shoplifting';
  return t;
}

function buildSkeletons(rng: Rng, w: World): Skeleton[] {
  const out: Skeleton[] = [];
  const leads = w.people.slice(); // one-off companions created below are not leads
  let seq = 0;
  for (const p of leads) {
    for (const day of scheduleTimes(rng, p.k)) {
      const t = toOccurredAt(rng, w.country, day);
      const store = p.stores.sample(rng);
      const type = chooseType(rng, p, p.household.cars.length > 0 || p.borrowsCars);
      const companions: Person[] = [];
      const solitary = type === 'refund-fraud' || type === 'currency-fraud';
      if (!solitary && p.crew && rng.chance(w.cfg.crewTogether)) {
        const others = rng.shuffle(p.crew.filter((m) => m !== p));
        const n = rng.chance(0.65) ? 1 : others.length;
        companions.push(...others.slice(0, n));
      } else if (!solitary && rng.chance(w.cfg.adHoc)) {
        if (rng.chance(0.55)) {
          // Somebody who appears only this once: a one-off companion.
          const h = newHousehold(rng, w, p.household.town, w.surnames.sample(rng));
          companions.push(makePerson(rng, w, h, 'head', null, 0));
        } else {
          const pool = w.byTown[p.household.town] as Person[];
          const o = rng.pick(pool);
          if (o !== p) companions.push(o);
        }
      }
      if (rng.chance(0.02) && companions.length < 3) {
        // A second, unrelated person caught at the same time (separate offence recorded together).
        const h = newHousehold(rng, w, p.household.town, w.surnames.sample(rng));
        companions.push(makePerson(rng, w, h, 'head', null, 0));
      }
      out.push({ seq: seq++, t, store, type, lead: p, companions });
    }
  }
  out.sort((a, b) => a.t - b.t || a.seq - b.seq);
  return out;
}

// ───────────────────────────── Text noise ─────────────────────────────

const KEY_NEIGHBOURS: Record<string, string> = {
  a: 'qsz', b: 'vn', c: 'xv', d: 'sf', e: 'wr', f: 'dg', g: 'fh', h: 'gj', i: 'uo', j: 'hk', k: 'jl', l: 'k', m: 'n', n: 'bm',
  o: 'ip', p: 'o', q: 'wa', r: 'et', s: 'ad', t: 'ry', u: 'yi', v: 'cb', w: 'qe', x: 'zc', y: 'tu', z: 'x',
};

function typo(rng: Rng, s: string): string {
  if (s.length < 3) return s;
  const i = rng.int(1, s.length - 2);
  const ch = s[i] as string;
  const op = rng.w([['sub', 30], ['del', 25], ['dup', 15], ['swap', 20], ['vowel', 10]] as const);
  if (op === 'sub') {
    const nb = KEY_NEIGHBOURS[ch.toLowerCase()];
    if (!nb) return s;
    return s.slice(0, i) + rng.pick(nb.split('')) + s.slice(i + 1);
  }
  if (op === 'del') return s.slice(0, i) + s.slice(i + 1);
  if (op === 'dup') return s.slice(0, i) + ch + s.slice(i);
  if (op === 'swap') return s.slice(0, i) + (s[i + 1] as string) + ch + s.slice(i + 2);
  const vowels: Record<string, string> = { a: 'e', e: 'a', i: 'y', y: 'i', o: 'u', u: 'o' };
  const v = vowels[ch];
  return v ? s.slice(0, i) + v + s.slice(i + 1) : s;
}

function stripPunct(rng: Rng, s: string): string {
  let out = s;
  if (/['’]/.test(out)) out = out.replace(/['’]/g, rng.chance(0.5) ? '' : rng.pick([' ', '`', '’']));
  if (/ /.test(out) && rng.chance(0.5)) out = out.replace(/ /g, rng.chance(0.7) ? '' : '-');
  if (/[āēīōūÁÉ]/i.test(out)) out = out.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
  return out;
}

function variant(rng: Rng, s: string): string {
  const v = VARIANTS.get(s.toLowerCase());
  return v && v.length > 0 ? rng.pick(v) : s;
}

// ───────────────────────────── Feature phrasing ─────────────────────────────

function article(word: string): string {
  return /^[aeiou]/i.test(word) && !/^(one|uni)/i.test(word) ? 'an' : 'a';
}

function phraseFeature(rng: Rng, f: Feature, sex: Sex, style: number): string {
  let side: string = f.side;
  if (rng.chance(0.08)) side = side === 'left' ? 'right' : 'left'; // mirror-image mistakes
  const pron = rng.chance(0.85) ? (sex === 'M' ? 'his' : 'her') : 'their';
  const abbrevSide = rng.chance(0.15) ? (side === 'left' ? 'L' : 'R') : side;
  if (f.kind === 'tattoo') {
    const motifs = TATTOO_MOTIFS[Number(f.key)] as string[];
    const motif = rng.chance(0.6) ? (motifs[0] as string) : rng.pick(motifs);
    const locDef = TATTOO_LOCS.find((l) => l[0] === f.loc) as [string, string[], string[], number];
    if (f.loc === 'knuckles') {
      return rng.pick([`letters tattooed on ${pron} knuckles`, 'knuckle tattoos', `tattoos across ${side} hand knuckles`, 'tats on fingers',
        `writing tattooed on knuckles (${side} hand)`]);
    }
    if (Number(f.key) === TEARDROP) {
      return rng.pick([`${motif} tattoo under ${side} eye`, `${motif} tattoo under eye`, `${motif} tat under ${abbrevSide} eye`,
        `tattoo of a ${motif} below ${pron} ${side} eye`, 'face tattoo (teardrop)']);
    }
    const sided = (rng.chance(0.55) ? (locDef[1][0] as string) : rng.pick(locDef[1])).replace('{s}', abbrevSide);
    const plain = rng.pick(locDef[2]);
    const bare = (l: string): boolean => /^(behind|under|inside|back of|neck \()/.test(l);
    const onP = (l: string): string => (bare(l) ? l : `on ${pron} ${l}`);
    const on = (l: string): string => (bare(l) ? l : `on ${l}`);
    const t = rng.chance(0.5) ? style : rng.int(0, 8);
    switch (t) {
      case 0: return `${motif} tattoo ${sided}`;
      case 1: return `tattoo of ${article(motif)} ${motif} ${onP(sided)}`;
      case 2: return `${sided.charAt(0).toUpperCase() + sided.slice(1)} tattoo - ${motif}`;
      case 3: return `${motif} tat ${on(sided)}`;
      case 4: return `tattoo ${on(sided)}`;
      case 5: return `${motif} tattoo ${on(plain)}`;
      case 6: return `has ${article(motif)} ${motif} tattooed ${onP(rng.chance(0.5) ? sided : plain)}`;
      case 7: return `tatts ${sided} (${motif})`;
      default: return rng.chance(0.5) ? `visible tattoo ${on(plain)}` : `tattoos ${on(plain)}`;
    }
  }
  if (f.kind === 'scar') {
    const def = SCAR_LOCS.find((l) => l[0] === f.key) as [string, string[]];
    const loc = rng.pick(def[1]);
    if (f.key === 'chin' || f.key === 'forehead' || f.key === 'lip' || f.key === 'nose') {
      return rng.pick([`scar on ${loc}`, `${loc} scar`, `scarring on ${loc}`, `small scar ${loc === 'lip' || loc === 'top lip' ? 'above lip' : 'on ' + loc}`,
        `scar across ${pron} ${loc}`]);
    }
    return rng.pick([`scar on ${side} ${loc}`, `${side} ${loc} scar`, `scarring on ${loc}`, `small scar on ${loc}`,
      `scar through ${pron} ${side} ${loc}`, `noticeable scar ${loc} (${abbrevSide})`]);
  }
  if (f.kind === 'piercing') return rng.pick((PIERCINGS.find((p) => p[0] === f.key) as [string, string[]])[1]);
  if (f.kind === 'teeth') return rng.pick((TEETH.find((p) => p[0] === f.key) as [string, string[]])[1]);
  if (f.kind === 'mark') return rng.pick((MARKS.find((p) => p[0] === f.key) as [string, string[]])[1]).replace('{side}', side);
  return rng.pick(GLASSES);
}

function phraseHair(rng: Rng, colour: string, style: string, sex: Sex): string {
  const c = colour === 'ginger' ? rng.pick(['ginger', 'red', 'ginger']) : colour === 'blonde' ? rng.pick(['blonde', 'blond']) :
    colour === 'grey' ? rng.pick(['grey', 'greying', 'gray']) : colour === 'light brown' ? rng.pick(['light brown', 'mousy brown', 'brown']) : 'brown';
  switch (style.split(':')[0]) {
    case 'shaved': return rng.pick(['shaved head', 'head shaved', 'buzz cut', 'very short hair', 'number 1 haircut']);
    case 'bald': return rng.pick(['bald', 'bald head', 'balding']);
    case 'mullet': return rng.pick([`${c} mullet`, 'mullet', 'mullet haircut']);
    case 'curly': return rng.pick([`curly ${c} hair`, 'curly hair', `${c} curly hair`]);
    case 'long': return rng.pick([`long ${c} hair`, 'long hair', `shoulder length ${c} hair`]);
    case 'undercut': return rng.pick(['undercut', 'shaved sides', `${c} hair shaved at sides`]);
    case 'bun': return sex === 'M' ? rng.pick(['man bun', 'hair in a bun', 'top knot']) : rng.pick(['hair in a bun', `${c} hair in bun`, 'messy bun']);
    case 'bleached': return rng.pick(['bleached hair', 'bleached blonde hair', 'peroxide blonde hair']);
    case 'dyed': {
      const dye = style.split(':')[1] ?? 'pink';
      return rng.pick([`${dye} dyed hair`, `${dye} hair`, `dyed ${dye} hair`, `bright ${dye} hair`]);
    }
    case 'ponytail': return rng.pick([`${c} ponytail`, 'hair in ponytail', `${c} hair tied back`, 'ponytail']);
    default: return rng.pick([`short ${c} hair`, 'short hair', `${c} hair`]);
  }
}

function phraseFacial(rng: Rng, f: string): string | null {
  switch (f) {
    case 'beard': return rng.pick(['beard', 'full beard', 'bearded', 'big beard']);
    case 'goatee': return rng.pick(['goatee', 'goatee beard']);
    case 'moustache': return rng.pick(['moustache', 'mustache', 'mo']);
    case 'stubble': return rng.pick(['stubble', 'unshaven', 'stubbly']);
    default: return null;
  }
}

// ───────────────────────────── Clothing ─────────────────────────────

const CLOTHING_COLOURS: [string, number][] = [['black', 30], ['grey', 16], ['navy', 10], ['white', 8], ['blue', 7], ['red', 6],
  ['green', 5], ['khaki', 4], ['maroon', 3], ['orange', 3], ['camo', 3], ['pink', 3], ['yellow', 2]];
const BRANDS_NZ = ['Nike', 'Adidas', 'North Face', 'Puma', 'Champion', 'Canterbury', 'Kathmandu', 'Under Armour', 'Huffer'];
const BRANDS_UK = ['Nike', 'Adidas', 'North Face', 'Puma', 'Champion', 'Stone Island', 'Lacoste', 'Ellesse', 'Trapstar', 'Under Armour'];
const HEADWEAR = [['cap', 'baseball cap', 'peak cap'], ['beanie', 'woolly hat', 'beanie hat'], ['bucket hat', 'bucket hat'], ['hood up', 'hood pulled up']];
const BAGS = ['backpack', 'large handbag', 'tote bag', 'sports bag', 'foil-lined bag', 'shopping bag', 'bum bag', 'duffel bag'];

function garment(rng: Rng, variants: string[], country: CountryDef, branded: boolean): string {
  const g = rng.pick(variants);
  const colour = rng.w(CLOTHING_COLOURS);
  const brand = branded && rng.chance(0.35) ? rng.pick(country.code === 'NZ' ? BRANDS_NZ : BRANDS_UK) + ' ' : '';
  return `${colour} ${brand}${g}`;
}

function signatureItem(rng: Rng, country: CountryDef): string {
  const kind = rng.w([['cap', 35], ['jacket', 30], ['shoes', 15], ['bag', 20]] as const);
  const brand = rng.pick(country.code === 'NZ' ? BRANDS_NZ : BRANDS_UK);
  const colour = rng.w(CLOTHING_COLOURS);
  if (kind === 'cap') return `${colour} ${brand} cap`;
  if (kind === 'jacket') return `${colour} ${brand} ${rng.pick(['puffer jacket', 'jacket', 'hoodie'])}`;
  if (kind === 'shoes') return `${rng.pick(['white', 'black', 'red'])} ${brand} ${rng.pick(country.feet[1] as string[])}`;
  return `${colour} ${rng.pick(['backpack', 'handbag', 'sports bag'])}`;
}

function clothingFor(rng: Rng, p: Person, country: CountryDef, terse: boolean): string {
  const items: string[] = [];
  const sig = p.signature && rng.chance(0.55) ? p.signature : null;
  if (sig) items.push(sig);
  if (!sig || !/(jacket|hoodie)$/.test(sig) || rng.chance(0.3)) items.push(garment(rng, rng.pick(country.tops), country, true));
  if (rng.chance(terse ? 0.45 : 0.7)) items.push(garment(rng, rng.pick(country.bottoms), country, false));
  if (rng.chance(0.35) && !(sig && sig.endsWith('cap'))) {
    const hw = rng.pick(HEADWEAR);
    const name = rng.pick(hw);
    items.push(name.startsWith('hood') ? name : `${rng.w(CLOTHING_COLOURS)} ${name}`);
  }
  if (rng.chance(terse ? 0.1 : 0.25)) items.push(rng.pick(rng.pick(country.feet)));
  if (rng.chance(0.2)) items.push(rng.pick(BAGS));
  const uniq = [...new Set(items)];
  const style = rng.int(0, 5);
  if (style === 0) return 'Wearing ' + uniq.join(', ');
  if (style === 1) return uniq.join(' & ');
  if (style === 2) return uniq.map((s) => s.charAt(0).toUpperCase() + s.slice(1)).join('. ');
  if (style === 3 && uniq.length > 1) return uniq.slice(0, -1).join(', ') + ' and ' + uniq[uniq.length - 1];
  return uniq.join(', ');
}

// ───────────────────────────── Report writing ─────────────────────────────

interface Writer { caseStyle: 'normal' | 'upper' | 'lower' | 'familyUpper'; terse: boolean; style: number }

function applyCase(s: string, c: Writer['caseStyle'], isFamily: boolean): string {
  if (c === 'upper') return s.toUpperCase();
  if (c === 'lower') return s.toLowerCase();
  if (c === 'familyUpper' && isFamily) return s.toUpperCase();
  return s;
}

function formatDob(b: [number, number, number]): string {
  return `${String(b[0]).padStart(4, '0')}-${String(b[1]).padStart(2, '0')}-${String(b[2]).padStart(2, '0')}`;
}

function noisyDob(rng: Rng, b: [number, number, number]): string {
  let [y, m, d] = b;
  const r = rng.next();
  if (r < 0.045 && d <= 12 && d !== m) [m, d] = [d, m]; // day/month swapped
  else if (r < 0.075) y += rng.chance(0.5) ? 1 : -1; // off by a year
  else if (r < 0.095) {
    // one digit mistyped in the day or year
    if (rng.chance(0.5)) d = clamp(d + rng.pick([-1, 1, 10, -10]), 1, 28);
    else y += rng.pick([-10, 10]);
  }
  d = Math.min(d, daysInMonth(y, m));
  return formatDob([y, m, d]);
}

function noisyPhone(rng: Rng, phone: string): string {
  if (!rng.chance(0.07)) return phone;
  const head = phone.startsWith('+64') ? 5 : 4;
  const digits = phone.split('');
  const i = rng.int(head, digits.length - 1);
  if (rng.chance(0.5) && i < digits.length - 1) {
    const t = digits[i] as string;
    digits[i] = digits[i + 1] as string;
    digits[i + 1] = t;
  } else {
    digits[i] = String((Number(digits[i]) + rng.pick([1, 9])) % 10);
  }
  return digits.join('');
}

const OCR: Record<string, string> = { O: '0', '0': 'O', I: '1', '1': 'I', B: '8', '8': 'B', S: '5', '5': 'S', Z: '2', '2': 'Z', G: '6', '6': 'G', D: '0' };

function renderPlate(rng: Rng, plate: string, q: Quality, country: CountryDef): string {
  let p = plate.replace(/\s+/g, '');
  if (rng.chance(q.pOcr)) {
    const idx = p.split('').map((c, i) => (OCR[c] ? i : -1)).filter((i) => i >= 0);
    if (idx.length > 0) {
      const i = rng.pick(idx);
      p = p.slice(0, i) + (OCR[p[i] as string] as string) + p.slice(i + 1);
    } else if (p.length > 3) {
      const i = rng.int(0, p.length - 2);
      p = p.slice(0, i) + (p[i + 1] as string) + (p[i] as string) + p.slice(i + 2);
    }
  }
  if (rng.chance(q.pPartialPlate) && p.length > 4) p = rng.chance(0.7) ? p.slice(0, p.length - rng.int(1, 2)) : p.slice(1);
  const style = rng.w([['plain', 45], ['space', 35], ['lower', 8], ['dash', 12]] as const);
  const splitAt = country.code === 'UK' ? (/^[A-Z]\d/.test(p) ? p.search(/[A-Z]{3}$/) : 4) : /^[A-Z]{3}\d/.test(p) ? 3 : 2;
  const spaced = splitAt > 0 && splitAt < p.length ? p.slice(0, splitAt) + ' ' + p.slice(splitAt) : p;
  if (style === 'space') return spaced;
  if (style === 'lower') return (rng.chance(0.5) ? spaced : p).toLowerCase();
  if (style === 'dash') return spaced.replace(' ', '-');
  return p;
}

function renderVehicle(rng: Rng, v: Vehicle, q: Quality, country: CountryDef): Record<string, unknown> {
  const make = rng.chance(0.75) ? v.make : rng.pick(v.makeDef.spellings);
  let model = v.model;
  if (rng.chance(0.1)) model = model.toLowerCase();
  else if (rng.chance(0.04)) model = typo(rng, model);
  const colour = rng.chance(0.15) ? rng.pick(COLOUR_CONFUSION[v.colour] ?? [v.colour]) : v.colour;
  return { plate: renderPlate(rng, v.plate, q, country), make, model, colour };
}

interface Ctx {
  rng: Rng;
  w: World;
  q: Quality;
  store: Store;
  writer: Writer;
  t: number;
  prevented: boolean;
  police: boolean;
  fam: number;
  trespassed: boolean;
}

type Mode = 'id' | 'verbal' | 'known' | 'none';

function identityMode(c: Ctx): Mode {
  const { rng, q } = c;
  const sq = c.store.quality;
  const pId = clamp(q.pId * (c.prevented ? 1.7 : 0.7) * (c.police ? 1.5 : 1) * sq, 0, 0.95);
  if (rng.chance(pId)) return 'id';
  const pVerbal = clamp(q.pVerbal * (c.prevented ? 1.4 : 0.8) * sq, 0, 0.9);
  if (rng.chance(pVerbal)) return 'verbal';
  const pKnown = clamp((q.pKnownBase + q.pKnownFam * (1 - Math.exp(-c.fam / 2)) + (c.trespassed ? 0.25 : 0)) * sq, 0, 0.95);
  if (rng.chance(pKnown)) return 'known';
  return 'none';
}

function nameFor(c: Ctx, p: Person, mode: Mode): { given?: string; family?: string; aliases?: string[]; dob?: [number, number, number] } {
  const { rng, q } = c;
  let given: string | undefined;
  let family: string | undefined;
  let aliases: string[] | undefined;
  let dob: [number, number, number] | undefined = p.birth;
  let heard = true;
  if (mode === 'id') {
    heard = false;
    given = p.given + (p.middle && rng.chance(0.12) ? ' ' + p.middle : '');
    family = p.family;
    if (p.aliases.length > 0 && rng.chance(0.08)) aliases = [rng.pick(p.aliases)];
  } else if (mode === 'verbal') {
    const rel = p.household.members.filter((m) => m !== p && m.family === p.family && Math.abs(m.birth[0] - p.birth[0]) < 12);
    if (p.fake && rng.chance(0.5)) {
      given = p.fake.given;
      family = p.fake.family;
      dob = p.fake.birth;
    } else if (rel.length > 0 && rng.chance(0.04)) {
      // Gives a brother's or cousin's name and date of birth.
      const r = rng.pick(rel);
      given = r.given;
      family = r.family;
      dob = r.birth;
    } else {
      given = rng.chance(0.55) ? p.goesBy : p.given;
      family = p.family;
    }
    if (rng.chance(0.05)) family = undefined;
  } else {
    // Recognised by staff.
    dob = p.birth;
    const hasAlias = p.aliases.length > 0;
    const r = rng.next();
    const nickname = (): string => {
      const n = NICKNAMES[p.given];
      if (p.goesBy !== p.given && rng.chance(0.75)) return p.goesBy;
      if (n && rng.chance(0.3)) return rng.pick(n);
      return p.given;
    };
    if (hasAlias && r < 0.12) aliases = [rng.pick(p.aliases)];
    else if (r < 0.12 + q.pGivenOnly) given = nickname();
    else if (r < 0.12 + q.pGivenOnly + q.pFamilyOnly) family = p.family;
    else {
      given = nickname();
      family = p.family;
      if (hasAlias && rng.chance(q.pAliasShown)) aliases = [rng.pick(p.aliases)];
    }
  }
  const pt = heard ? q.pTypo : q.pTypo * 0.4;
  const pv = heard ? q.pVariant : q.pVariant * 0.3;
  const fix = (s: string | undefined): string | undefined => {
    if (s === undefined) return s;
    let out = s
      .split(' ')
      .map((tok) => (rng.chance(pv) ? variant(rng, tok) : tok))
      .join(' ');
    if (rng.chance(pt)) out = typo(rng, out);
    if (/['’ āēīōū-]/.test(out) && rng.chance(0.35)) out = stripPunct(rng, out);
    if (/-/.test(out) && rng.chance(0.3)) out = rng.chance(0.5) ? (out.split('-')[0] as string) : out.replace('-', ' ');
    return out;
  };
  given = fix(given);
  family = fix(family);
  if (given && /^[A-Za-z]/.test(given) && rng.chance(0.02)) given = given.charAt(0); // initial only
  if (given && family && rng.chance(q.pSwap)) [given, family] = [family, given];
  if (given && family && rng.chance(0.015)) {
    // Whole name typed into the given-name box.
    given = `${given} ${family}`;
    family = undefined;
  }
  if (given) given = applyCase(given, c.writer.caseStyle, false);
  if (family) family = applyCase(family, c.writer.caseStyle, true);
  return { given, family, aliases, dob };
}

function observePerson(c: Ctx, p: Person, ref: string, role: string): Record<string, unknown> {
  const { rng, q, w } = c;
  const out: Record<string, unknown> = { ref, role };
  const mode = identityMode(c);
  if (mode !== 'none') {
    const n = nameFor(c, p, mode);
    const name: Record<string, unknown> = {};
    if (n.given) name.given = n.given;
    if (n.family) name.family = n.family;
    if (n.aliases && n.aliases.length > 0) name.aliases = n.aliases;
    if (Object.keys(name).length > 0) out.name = name;
    const pDob = mode === 'id' ? q.pDobId : mode === 'verbal' ? q.pDobVerbal : q.pDobKnown;
    if (n.dob && rng.chance(pDob)) out.dateOfBirth = noisyDob(rng, n.dob);
    const pPhone = mode === 'id' ? q.pPhoneId : mode === 'verbal' ? q.pPhoneVerbal : q.pPhoneKnown;
    if (rng.chance(pPhone)) {
      let phone: string | null = p.phones.length > 0 ? at(p.phones, c.t) : null;
      if (mode === 'verbal' && p.fake && rng.chance(0.5)) phone = w.country.phone(rng);
      // A parent's or partner's number given instead.
      const others = p.household.members.filter((m) => m !== p && m.phones.length > 0);
      if (others.length > 0 && rng.chance(0.08)) phone = at(rng.pick(others).phones, c.t);
      if (phone) out.phone = noisyPhone(rng, phone);
    }
  }
  const unnamedBoost = out.name ? 1 : 1.15;
  if (rng.chance(clamp(q.pAge * unnamedBoost, 0, 0.98))) {
    const est = ageAt(p.birth, c.t) + p.ageBias + rng.normal() * q.ageSd;
    const width = rng.w([[4, 8], [5, 20], [10, 45], [15, 15], [20, 12]] as const);
    let min: number;
    let max: number;
    if (rng.chance(0.6)) {
      min = Math.round((est - width / 2) / 5) * 5;
      max = min + Math.max(5, Math.round(width / 5) * 5);
    } else {
      min = Math.round(est - width / 2);
      max = min + width;
    }
    min = Math.max(14, min);
    max = Math.max(min + 2, max);
    out.ageRange = { min, max };
  }
  if (rng.chance(clamp(q.pHeight * unnamedBoost, 0, 0.98))) {
    let h = p.height + p.heightBias + rng.normal() * q.heightSd;
    if (rng.chance(0.06)) h += rng.pick([-1, 1]) * rng.int(8, 15);
    h = rng.chance(0.7) ? Math.round(h / 5) * 5 : Math.round(h);
    out.heightCm = clamp(h, 140, 210);
  }
  if (rng.chance(clamp(q.pBuild * unnamedBoost, 0, 0.98))) {
    const order: Build[] = ['slim', 'medium', 'heavy'];
    let bi = order.indexOf(p.build);
    const r = rng.next();
    if (r < 0.2) bi = clamp(bi + rng.pick([-1, 1]), 0, 2);
    else if (r < 0.23) bi = 2 - bi;
    out.build = order[bi];
  }
  const feats: string[] = [];
  const detail = q.featureDetail * (c.writer.terse ? 0.7 : 1) * c.store.quality;
  for (const f of p.features) if (rng.chance(clamp(f.vis * detail, 0, 0.97))) feats.push(phraseFeature(rng, f, p.sex, c.store.style));
  const style = at(p.hair, c.t);
  const distinctiveHair = ['mullet', 'bleached', 'dyed', 'bald', 'shaved'].includes(style.split(':')[0] as string) || p.hairColour === 'ginger';
  if (rng.chance(clamp(q.pHair * (distinctiveHair ? 1.7 : 0.8) * detail, 0, 0.95))) feats.push(phraseHair(rng, p.hairColour, style, p.sex));
  const fac = phraseFacial(rng, at(p.facial, c.t));
  if (fac && rng.chance(clamp(0.3 * detail, 0, 0.9))) feats.push(fac);
  if (feats.length > 0) {
    rng.shuffle(feats);
    out.distinguishingFeatures = feats.length > 1 && rng.chance(0.2) ? [feats.join(rng.pick([', ', '; ', ' and ']))] : feats;
  }
  if (rng.chance(q.pClothing * (c.writer.terse ? 0.9 : 1))) out.clothing = clothingFor(rng, p, w.country, c.writer.terse);
  return out;
}

function productLines(rng: Rng, type: string, p: Person, country: CountryDef): Record<string, unknown>[] {
  let cats: Category[];
  if (type === 'drive-off') cats = ['fuel'];
  else if (type === 'refund-fraud') cats = [rng.pick(['electronics', 'beauty', 'giftcards', 'household'] as Category[])];
  else if (type === 'robbery' || type === 'burglary') cats = [rng.pick(['tobacco', 'alcohol', 'electronics'] as Category[])];
  else if (type === 'pos-fraud') cats = [rng.chance(0.5) ? rng.pick(p.cats) : rng.pick(['meat', 'coffee', 'dairy', 'alcohol', 'baby'] as Category[])];
  else cats = [rng.chance(0.75) ? rng.pick(p.cats) : rng.w(FAVOURITE_CATS)];
  const nLines = type === 'drive-off' ? 1 : rng.w([[1, 55], [2, 30], [3, 15]] as const);
  const lines: Record<string, unknown>[] = [];
  const used = new Set<number>();
  for (let i = 0; i < nLines; i++) {
    const cat = i === 0 ? (cats[0] as Category) : rng.chance(0.6) ? (cats[0] as Category) : rng.pick(p.cats);
    const idx = rng.pick(PRODUCTS_BY_CAT.get(cat) as number[]);
    if (used.has(idx)) continue;
    used.add(idx);
    const prod = PRODUCTS[idx] as Product;
    const base = prod.prices[country.priceIdx];
    const unitValue = Math.round(base * (1 + rng.normal() * 0.03) * 100) / 100;
    const line: Record<string, unknown> = {
      sku: country.skuPrefix + String(1000000 + idx * 7919).padStart(11, '0'),
      name: prod.name,
      quantity: rng.int(prod.qty[0], prod.qty[1]),
      unitValue: Math.max(0.5, unitValue),
    };
    lines.push(line);
  }
  return lines;
}

function describe(rng: Rng, type: string, prevented: boolean, products: Record<string, unknown>[], vehicle: Record<string, unknown> | null,
  nPeople: number, knownAlias: string | null, fam: number): string {
  const items = products.length > 0
    ? products.map((l) => `${String(l.quantity)} x ${String(l.name)}`).join(', ')
    : rng.pick(['items', 'a quantity of stock', 'several items', 'goods']);
  const who = nPeople > 1 ? rng.pick(['Two people', 'Group', 'Offenders', 'A pair']) : rng.pick(['Offender', 'Person', 'Subject', 'Suspect']);
  const parts: string[] = [];
  switch (type) {
    case 'shoplifting':
      parts.push(rng.pick([
        `${who} selected ${items} and concealed them in a bag before leaving without paying.`,
        `${who} took ${items} and walked out past the checkouts.`,
        `Filled a trolley with ${items} and pushed it out through the entry doors.`,
        `${who} placed ${items} down clothing and left the store.`,
        `Took ${items}. Left without paying.`,
      ]));
      break;
    case 'pos-fraud':
      parts.push(rng.pick([`Did not scan ${items} at self checkout.`, `Scanned cheaper produce codes in place of ${items}.`,
        `Self-checkout: bagged ${items} without scanning.`]));
      break;
    case 'refund-fraud':
      parts.push(rng.pick([`Attempted refund of ${items} without receipt; items believed taken from shelf.`,
        `Returned ${items} for refund, later found unpaid on CCTV.`]));
      break;
    case 'drive-off':
      parts.push(rng.pick([`Filled vehicle with fuel at pump ${rng.int(1, 8)} and drove off without paying.`,
        `Fuel drive-off from pump ${rng.int(1, 8)}.`, 'Pumped fuel and left without paying, plate captured by camera.']));
      break;
    case 'threatening-behaviour':
      parts.push(rng.pick(['Became aggressive when approached and threatened staff.', 'Threatened to come back and hurt staff.',
        'Made threats towards security when asked to leave.']));
      break;
    case 'verbal-abuse':
      parts.push(rng.pick(['Swore at checkout operator repeatedly.', 'Verbally abused staff after being refused service.',
        'Yelled abuse at staff member at the door.']));
      break;
    case 'robbery':
      parts.push(rng.pick([`Demanded ${items} from the counter and left.`, 'Threatened staff and took cash from the till.',
        `Jumped the counter and took ${items}.`]));
      break;
    case 'assault':
      parts.push(rng.pick(['Pushed staff member when stopped at exit.', 'Struck security officer and ran off.']));
      break;
    case 'trespass':
      parts.push(rng.pick(['Entered store while under a trespass notice.', 'Trespassed person seen in store, asked to leave.',
        'Breach of trespass: entered and was escorted out.']));
      break;
    default:
      parts.push(rng.pick(['Incident reported by staff.', 'Behaving suspiciously around high-value aisles.', 'Loitering near entrance, left when approached.',
        'Damaged display while leaving.', 'See CCTV for details.']));
  }
  if (prevented) parts.push(rng.pick(['Stopped at exit, items recovered.', 'Approached by staff, goods recovered.', 'Attempt prevented by staff.']));
  if (vehicle && rng.chance(0.5)) parts.push(`Left in a ${String(vehicle.colour)} ${String(vehicle.make)}.`);
  if (fam > 0 && rng.chance(0.4)) parts.push(rng.pick(['Known to staff.', 'Has been in before.', 'Regular offender at this store.']));
  if (knownAlias && rng.chance(0.5)) parts.push(`Staff know this person as ${knownAlias}.`);
  if (nPeople > 1 && rng.chance(0.4)) parts.push(rng.pick(['Second person acted as lookout.', 'Accomplice distracted staff.']));
  return parts.join(' ');
}

function violenceFor(rng: Rng, type: string): Record<string, unknown> | null {
  if (type === 'robbery') {
    return { threatened: true, used: rng.chance(0.3), weapon: rng.w([['none', 50], ['knife', 25], ['blunt', 10], ['syringe', 5], ['other', 8], ['firearm', 2]] as const) };
  }
  if (type === 'assault') return { threatened: rng.chance(0.6), used: true, weapon: rng.w([['none', 85], ['blunt', 8], ['other', 7]] as const) };
  if (type === 'threatening-behaviour') return { threatened: true, used: false, weapon: rng.w([['none', 88], ['knife', 5], ['syringe', 3], ['other', 4]] as const) };
  if (type === 'verbal-abuse' && rng.chance(0.5)) return { threatened: rng.chance(0.3), used: false, weapon: 'none' };
  if (type === 'shoplifting' && rng.chance(0.04)) return { threatened: true, used: false, weapon: 'none' };
  return null;
}

function vehicleFor(c: Ctx, people: Person[], type: string): Vehicle | null {
  const { rng, q, w } = c;
  const own = (p: Person): Vehicle | null => {
    const cars = p.household.cars;
    if (cars.length === 0) return null;
    return at(cars[0] as Timed<Vehicle>[], c.t) ?? null;
  };
  const lead = people[0] as Person;
  const seen = type === 'drive-off' ? rng.chance(0.96) : rng.chance(q.pVehicleSeen);
  if (!seen) return null;
  let v: Vehicle | null = null;
  const r = rng.next();
  if (r < 0.8) {
    for (const p of people) {
      v = own(p);
      if (v) break;
    }
    // Second household car sometimes.
    if (v && lead.household.cars.length > 1 && rng.chance(0.35)) v = at(lead.household.cars[1] as Timed<Vehicle>[], c.t);
  } else if (r < 0.9 && lead.crew) {
    for (const m of lead.crew) {
      v = own(m);
      if (v) break;
    }
  }
  if (!v && (lead.borrowsCars || type === 'drive-off' || r >= 0.9)) {
    // Borrowed: one or two friends whose cars this person keeps turning up in.
    if (!lead.lenders) {
      const pool = (w.byTown[lead.household.town] as Person[]).filter((o) => o !== lead && o.household.cars.length > 0);
      lead.lenders = pool.length > 0 ? [rng.pick(pool), ...(rng.chance(0.35) ? [rng.pick(pool)] : [])] : [];
    }
    if (lead.lenders.length > 0 && rng.chance(0.85)) v = own(rng.pick(lead.lenders));
    // Otherwise a rental or a stolen car.
    if (!v && (type === 'drive-off' || rng.chance(0.3))) v = makeVehicle(rng, w.country);
  }
  if (!v) return null;
  if (type === 'drive-off' && rng.chance(0.2)) {
    // False or stolen plates on a drive-off.
    v = { ...v, plate: rng.chance(0.5) ? w.country.plate(rng) : (own(rng.pick(w.people)) ?? v).plate };
  }
  return v;
}

// ───────────────────────────── Generate ─────────────────────────────

export function generate(regime: string, seed: number): Dataset {
  const cfg = CONFIGS[regime];
  if (!cfg) throw new Error(`unknown regime "${regime}"; expected one of ${REGIMES.join(', ')}`);
  const s = (Math.floor(Math.abs(seed)) % 4294967296) >>> 0;
  const mix = (s ^ hashString(regime)) >>> 0;
  const popRng = new Rng(mix, 'population');
  const evRng = new Rng(mix, 'events');
  const obsRng = new Rng(mix, 'observation');
  const country = COUNTRIES[cfg.country];

  const geo = buildGeo(new Rng(mix, 'geo'), cfg);
  const givenList = cfg.givens === 'small' ? [SMALL_MALE, SMALL_FEMALE, [], []] : cfg.givens === 'nz'
    ? [NZ_MALE, NZ_FEMALE, NZ_MALE_RARE, NZ_FEMALE_RARE] : [UK_MALE, UK_FEMALE, UK_MALE_RARE, UK_FEMALE_RARE];
  const w: World = {
    cfg, country, towns: geo.towns, stores: geo.stores, townTable: geo.townTable,
    surnames: new SurnamePool(new Rng(mix, 'names'), cfg),
    givenM: new GivenPool(givenList[0] as string[], cfg.givenExp, givenList[2] as string[], 0.12),
    givenF: new GivenPool(givenList[1] as string[], cfg.givenExp, givenList[3] as string[], 0.12),
    people: [], households: [], byTown: geo.towns.map(() => []),
  };
  buildPopulation(popRng, w);
  const skeletons = buildSkeletons(evRng, w);

  const events: GeneratedEvent[] = [];
  const truth: TruthRow[] = [];
  const fam = new Map<string, number>(); // person|store → prior reports there
  const trespass = new Set<string>();
  const rng = obsRng;
  const q = cfg.q;
  const prefix = `${regime}-${s}`;

  skeletons.forEach((sk, i) => {
    const eventId = `${prefix}-e${String(i + 1).padStart(6, '0')}`;
    const store = w.stores[sk.store] as Store;
    const people = [sk.lead, ...sk.companions];
    const leadKey = sk.lead.idx + '|' + sk.store;
    let type = sk.type;
    if (trespass.has(leadKey) && type === 'shoplifting' && rng.chance(0.3)) type = 'trespass';
    if (type === 'trespass' && !trespass.has(leadKey) && !rng.chance(0.3)) type = 'shoplifting';
    const prevented = rng.chance(PREVENTED_RATE[type] ?? 0.05);
    const police = rng.chance(q.pPolice * (prevented ? 1.5 : 1) * (['robbery', 'assault', 'burglary'].includes(type) ? 3 : 1));
    const writer: Writer = {
      caseStyle: rng.w([['normal', 83], ['upper', 8], ['lower', 4], ['familyUpper', 5]] as const),
      terse: rng.chance(cfg.name === 'sparse' ? 0.6 : 0.3),
      style: store.style,
    };
    const body: Record<string, unknown> = {
      storeId: store.id,
      occurredAt: new Date(sk.t).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      type,
      prevented,
    };
    const hasProducts = ['shoplifting', 'pos-fraud', 'refund-fraud', 'drive-off', 'robbery', 'burglary'].includes(type)
      && rng.chance(type === 'drive-off' ? 0.95 : q.pProducts);
    const products = hasProducts ? productLines(rng, type, sk.lead, country) : [];

    // People, in the order staff listed them.
    const order = people.map((p, j) => ({ p, lead: j === 0 }));
    if (order.length > 1 && rng.chance(0.25)) rng.shuffle(order);
    const ctxBase = { rng, w, q, store, writer, t: sk.t, prevented, police };
    const bodyPeople: Record<string, unknown>[] = [];
    let knownAlias: string | null = null;
    order.forEach(({ p, lead }, j) => {
      const ref = `p${j + 1}`;
      const key = p.idx + '|' + sk.store;
      const f = fam.get(key) ?? 0;
      const role = lead ? 'offender' : rng.chance(0.45) ? 'accomplice' : 'offender';
      const obs = observePerson({ ...ctxBase, fam: f, trespassed: trespass.has(key) }, p, ref, role);
      bodyPeople.push(obs);
      truth.push({ eventId, ref, personId: p.id });
      if (!knownAlias && p.aliases.length > 0 && f > 0 && !obs.name && rng.chance(0.1)) knownAlias = rng.pick(p.aliases);
    });

    const vehicle = vehicleFor({ ...ctxBase, fam: 0, trespassed: false }, people, type);
    const renderedVehicle = vehicle ? renderVehicle(rng, vehicle, q, country) : null;

    if (rng.chance(q.pDescription) || type === 'other') {
      const d = describe(rng, type, prevented, products, renderedVehicle, people.length, knownAlias, fam.get(leadKey) ?? 0);
      body.description = d.slice(0, 2000);
    }
    if (products.length > 0) {
      body.products = products;
      body.currency = country.currency;
    }
    body.people = bodyPeople;
    if (renderedVehicle) body.vehicles = [renderedVehicle];
    const violence = violenceFor(rng, type);
    if (violence) body.violence = violence;
    if (rng.chance(0.03)) body.sensitive = false;
    if (rng.chance(0.04)) body.policeSharing = { mode: rng.pick(['default', 'internal', 'jurisdiction']), excludeAgencies: [] };
    if (police && rng.chance(0.7)) body.policeReference = country.policeRef(rng);
    events.push({ id: eventId, body });

    // After the report: familiarity grows, trespass notices get issued.
    for (const p of people) {
      const key = p.idx + '|' + sk.store;
      fam.set(key, (fam.get(key) ?? 0) + 1);
      if ((prevented || police) && rng.chance(0.45)) trespass.add(key);
    }
  });

  return { name: cfg.name, description: cfg.description, events, truth };
}
