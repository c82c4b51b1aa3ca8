/**
 * Independent synthetic evaluation data for "Connect the Dots" (record linkage of people across
 * retail-crime reports), modelled on how reports are written at US pharmacies, supermarkets,
 * fuel stations and big-box stores. Written from PRODUCT §2 (the event body) only; it knows
 * nothing of any matcher. Self-contained: no imports, its own seeded PRNG (sfc32), deterministic
 * for a (regime, seed) pair. See README.md beside this file for the regimes and the rates.
 */

export interface GeneratedEvent { id: string; body: Record<string, unknown> } // body = a valid POST /api/v1/events body per §2
export interface TruthRow { eventId: string; ref: string; personId: string } // one row per person in each event's body.people
export interface Dataset { name: string; description: string; events: GeneratedEvent[]; truth: TruthRow[] }

export const REGIMES: readonly string[] = ['few-surnames', 'large-chain', 'sparse', 'organised-groups'];

// =====================================================================================
// PRNG: sfc32 seeded through a string hash, with forks for independent streams
// =====================================================================================

function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  constructor(private readonly key: string) {
    let s = hash32(key);
    const mix = (): number => {
      s = (s + 0x9e3779b9) >>> 0;
      let z = s;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.a = mix();
    this.b = mix();
    this.c = mix();
    this.d = mix();
    for (let i = 0; i < 15; i++) this.next();
  }
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }
  fork(label: string): Rng {
    return new Rng(`${this.key}/${label}`);
  }
  /** integer in [lo, hi] */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(arr: readonly T[]): T {
    return arr[Math.floor(this.next() * arr.length)]!;
  }
  normal(mu = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mu + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }
  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      const t = arr[i]!;
      arr[i] = arr[j]!;
      arr[j] = t;
    }
    return arr;
  }
}

class Weighted<T> {
  readonly items: T[] = [];
  private readonly cum: number[] = [];
  total = 0;
  constructor(pairs: Iterable<readonly [T, number]>) {
    for (const [item, w] of pairs) {
      if (!(w > 0)) continue;
      this.total += w;
      this.items.push(item);
      this.cum.push(this.total);
    }
  }
  sample(r: Rng): T {
    const x = r.next() * this.total;
    let lo = 0;
    let hi = this.cum.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cum[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return this.items[lo]!;
  }
}

/** Rank-weighted list: the i-th name (0-based) gets 1/(i+offset)^exponent. */
function ranked(list: string, offset: number, exponent: number): Weighted<string> {
  const names = [...new Set(list.split(',').map((s) => s.trim()).filter(Boolean))];
  return new Weighted(names.map((n, i) => [n, 1 / Math.pow(i + offset, exponent)] as const));
}

/** "Name weight,Name weight" */
function counted(list: string): [string, number][] {
  return list.split(',').map((s) => s.trim()).filter(Boolean).map((s) => {
    const i = s.lastIndexOf(' ');
    return [s.slice(0, i), Number(s.slice(i + 1))] as [string, number];
  });
}

// =====================================================================================
// Names
// =====================================================================================

// US Census 2010 surnames, approximate bearers per 100,000 (top 100), typed in.
const US_SURNAMES_TOP = counted(`Smith 828,Johnson 655,Williams 551,Brown 487,Jones 483,Garcia 395,Miller 394,Davis 378,
Rodriguez 372,Martinez 370,Hernandez 364,Lopez 290,Gonzalez 283,Wilson 280,Anderson 273,Thomas 258,Taylor 255,Moore 242,
Jackson 240,Martin 236,Lee 232,Perez 224,Thompson 222,White 219,Harris 201,Sanchez 197,Clark 183,Ramirez 176,Lewis 172,
Robinson 170,Walker 169,Young 156,Allen 154,King 154,Wright 153,Scott 145,Torres 140,Nguyen 140,Hill 139,Flores 138,
Green 137,Adams 135,Nelson 134,Baker 133,Hall 132,Rivera 129,Campbell 129,Mitchell 128,Carter 127,Roberts 126,Gomez 117,
Phillips 116,Evans 115,Turner 114,Diaz 114,Parker 113,Cruz 113,Edwards 112,Collins 111,Reyes 110,Stewart 110,Morris 107,
Morales 106,Murphy 105,Cook 104,Rogers 103,Gutierrez 101,Ortiz 100,Morgan 99,Cooper 99,Peterson 98,Bailey 97,Reed 96,
Kelly 95,Howard 95,Ramos 94,Kim 93,Cox 93,Ward 92,Richardson 91,Watson 90,Brooks 90,Chavez 89,Wood 89,James 89,Bennett 88,
Gray 88,Mendoza 87,Ruiz 87,Hughes 86,Price 86,Alvarez 86,Castillo 85,Sanders 84,Patel 84,Myers 83,Long 82,Ross 82,Foster 82,
Jimenez 81`.replace(/\n/g, ''));

// Ranks ~101-800 in approximate Census order; weights follow a fitted power law.
const US_SURNAMES_NEXT = `Powell,Jenkins,Perry,Russell,Sullivan,Bell,Coleman,Butler,Henderson,Barnes,Gonzales,Fisher,Vasquez,Simmons,
Romero,Jordan,Patterson,Alexander,Hamilton,Graham,Reynolds,Griffin,Wallace,Moreno,West,Cole,Hayes,Bryant,Herrera,Gibson,Ellis,
Tran,Medina,Aguilar,Stevens,Murray,Ford,Castro,Marshall,Owens,Harrison,Fernandez,McDonald,Woods,Washington,Kennedy,Wells,Vargas,
Henry,Chen,Freeman,Webb,Tucker,Guzman,Burns,Crawford,Olson,Simpson,Porter,Hunter,Gordon,Mendez,Silva,Shaw,Snyder,Mason,Dixon,
Munoz,Hunt,Hicks,Holmes,Palmer,Wagner,Black,Robertson,Boyd,Rose,Stone,Salazar,Fox,Warren,Mills,Meyer,Rice,Schmidt,Garza,
Daniels,Ferguson,Nichols,Stephens,Soto,Weaver,Ryan,Gardner,Payne,Grant,Dunn,Kelley,Spencer,Hawkins,Arnold,Pierce,Vazquez,
Hansen,Peters,Santos,Hart,Bradley,Knight,Elliott,Cunningham,Duncan,Armstrong,Hudson,Carroll,Lane,Riley,Andrews,Alvarado,Ray,
Delgado,Berry,Perkins,Hoffman,Johnston,Matthews,Pena,Richards,Contreras,Willis,Carpenter,Lawrence,Sandoval,Guerrero,George,
Chapman,Rios,Estrada,Ortega,Watkins,Greene,Nunez,Wheeler,Valdez,Harper,Burke,Larson,Santiago,Maldonado,Morrison,Franklin,
Carlson,Austin,Dominguez,Carr,Lawson,Jacobs,OBrien,Lynch,Singh,Vega,Bishop,Montgomery,Oliver,Jensen,Harvey,Williamson,Gilbert,
Dean,Sims,Espinoza,Howell,Li,Wong,Reid,Hanson,Le,McCoy,Garrett,Burton,Fuller,Wang,Weber,Welch,Rojas,Lucas,Marquez,Fields,Park,
Yang,Little,Banks,Padilla,Day,Walsh,Bowman,Schultz,Luna,Fowler,Mejia,Davidson,Acosta,Brewer,May,Holland,Juarez,Newman,Pearson,
Curtis,Cortez,Douglas,Schneider,Joseph,Barrett,Navarro,Figueroa,Keller,Avila,Wade,Molina,Stanley,Hopkins,Campos,Barnett,Bates,
Chambers,Caldwell,Beck,Lambert,Miranda,Byrd,Craig,Ayala,Lowe,Frazier,Powers,Neal,Leonard,Gregory,Carrillo,Sutton,Fleming,
Rhodes,Shelton,Schwartz,Norris,Jennings,Watts,Duran,Walters,Cohen,McDaniel,Moran,Parks,Steele,Vaughn,Becker,Holt,Deleon,Barker,
Terry,Hale,Leon,Benson,Haynes,Horton,Miles,Lyons,Pham,Graves,Bush,Thornton,Wolfe,Warner,Cabrera,McKinney,Mann,Zimmerman,Dawson,
Lara,Fletcher,Page,McCarthy,Love,Robles,Cervantes,Solis,Erickson,Reeves,Chang,Klein,Salinas,Fuentes,Baldwin,Daniel,Simon,
Velasquez,Hardy,Higgins,Aguirre,Lin,Cummings,Chandler,Sharp,Barber,Bowen,Ochoa,Dennis,Robbins,Liu,Ramsey,Francis,Griffith,Paul,
Blair,OConnor,Cardenas,Pacheco,Cross,Calderon,Quinn,Moss,Swanson,Chan,Rivas,Khan,Rodgers,Serrano,Fitzgerald,Rosales,Stevenson,
Christensen,Manning,Gill,Curry,McLaughlin,Harmon,McGee,Gross,Doyle,Garner,Newton,Burgess,Reese,Walton,Blake,Trujillo,Adkins,
Brady,Goodman,Roman,Webster,Goodwin,Fischer,Huang,Potter,Delacruz,Montoya,Todd,Wu,Hines,Mullins,Castaneda,Malone,Cannon,Tate,
Mack,Sherman,Hubbard,Hodges,Zhang,Guerra,Wolf,Valencia,Saunders,Franco,Rowe,Gallagher,Farmer,Hammond,Hampton,Townsend,Ingram,
Wise,Gallegos,Clarke,Barton,Schroeder,Maxwell,Waters,Logan,Camacho,Strickland,Norman,Person,Colon,Parsons,Frank,Harrington,
Glover,Osborne,Buchanan,Casey,Floyd,Patton,Ibarra,Ball,Tyler,Suarez,Bowers,Orozco,Salas,Cobb,Gibbs,Andrade,Bauer,Conner,Moody,
Escobar,McGuire,Lloyd,Mueller,Hartman,French,Kramer,McBride,Pope,Lindsey,Velazquez,Norton,McCormick,Sparks,Flynn,Yates,Hogan,
Marsh,Macias,Villanueva,Zamora,Pratt,Stokes,Owen,Ballard,Lang,Brock,Villarreal,Charles,Drake,Barrera,Cain,Patrick,Pineda,
Burnett,Mercado,Santana,Shepherd,Bautista,Ali,Shaffer,Lamb,Trevino,McKenzie,Hess,Olsen,Cochran,Morton,Nash,Wilkins,Petersen,
Briggs,Shah,Roth,Nicholson,Holloway,Lozano,Rangel,Flowers,Hoover,Short,Arias,Mora,Valenzuela,Bryan,Meyers,Weiss,Underwood,Bass,
Greer,Summers,Houston,Carson,Morrow,Clayton,Whitaker,Decker,Yoder,Collier,Zuniga,Carey,Wilcox,Melendez,Poole,Roberson,Larsen,
Conley,Davenport,Copeland,Massey,Lam,Huff,Rocha,Cameron,Jefferson,Hood,Monroe,Anthony,Pittman,Huynh,Randall,Singleton,Kirk,
Combs,Mathis,Skinner,Bradford,Richard,Galvan,Wall,Boone,Kirby,Wilkinson,Bridges,Bruce,Atkinson,Velez,Meza,Roy,Vincent,York,
Hodge,Villa,Abbott,Allison,Tapia,Gates,Chase,Sosa,Sweeney,Farrell,Wyatt,Dalton,Horn,Barron,Phelps,Yu,Dickerson,Heath,Foley,
Atkins,Mathews,Bonilla,Acevedo,Benitez,Zavala,Hensley,Glenn,Cisneros,Harrell,Shields,Rubio,Huffman,Choi,Boyer,Garrison,Arroyo,
Bond,Kane,Hancock,Callahan,Dillon,Cline,Wiggins,Grimes,Arellano,Melton,ONeill,Savage,Ho,Beltran,Pitts,Parrish,Ponce,Rich,Booth,
Koch,Golden,Ware,Brennan,McDowell,Marks,Cantu,Humphrey,Baxter,Sawyer,Clay,Tanner,Hutchinson,Kaur,Berg,Wiley,Gilmore,Russo,
Villegas,Hobbs,Keith,Wilkerson,Ahmed,Beard,McClain,Montes,Mata,Rosario,Vang,Walter,Henson,ONeal,Mosley,McClure,Beasley,
Stephenson,Snow,Huerta,Preston,Vance,Barry,Johns,Eaton,Blackwell,Dyer,Prince,MacDonald,Solomon,Guevara,Stafford,English,Hurst,
Woodard,Cortes,Shannon,Kemp,Nolan,McCullough,Merritt,Murillo,Moon,Salgado,Strong,Kline,Cordova,Barajas,Roach,Rosas,Winters,
Jacobson,Lester,Knox,Bullock,Kerr,Leach,Meadows,Orr,Davila,Whitehead,Pruitt,Kent,Conway,McKee,Barr,David,DeJesus,Marin,Berger,
McIntyre,Blankenship,Gaines,Palacios,Cuevas,Bartlett,Durham,Dorsey,McCall,ODonnell,Stein,Browning,Stout,Lowery,Sloan,McLean,
Hendricks,Calhoun,Sexton,Chung,Gentry,Hull,Duarte,Ellison,Nielsen,Gillespie,Buck,Middleton,Sellers,LeBlanc,Esparza,Hardin,
Bradshaw,McIntosh,Howe,Livingston,Frost,Glass,Morse,Knapp,Herman,Stark,Bravo,Noble,Spears,Weeks,Corona,Frederick,Buckley,
McFarland,Hebert,Enriquez,Hickman,Quintero,Randolph,Schaefer,Walls,Trejo,House,Reilly,Pennington,Michael,Conrad,Giles,Benjamin,
Crosby,Fitzpatrick,Donovan,Mays,Mahoney,Valentine,Raymond,Medrano,Hahn,McMillan,Small,Bentley,Felix,Peck,Lucero,Boyle,Hanna,
Pace,Rush,Hurley,Harding,McConnell,Bernal,Nava,Ayers,Everett,Ventura,Avery,Pugh,Mayer,Bender,Shepard,McMahon,Landry,Case,
Sampson,Moses,Magana,Blackburn,Dunlap,Gould,Duffy,Vaughan,Herring,McKay,Espinosa,Rivers,Farley,Bernard,Ashley,Friedman,Potts,
Truong,Costa,Correa,Blevins,Nixon,Clements,Fry,Delarosa,Best,Benton,Lugo,Portillo,Dougherty,Crane,Haley,Phan,Villalobos,
Blanchard,Horne,Finley,Quintana,Lynn,Esquivel,Bean,Dodson,Mullen,Xiong,Hayden,Cano,Levy,Huber,Richmond,Moyer,Lim,Frye,Sheppard,
McCarty,Avalos,Booker,Waller,Parra,Woodward,Jaramillo,Krueger,Rasmussen,Brandt,Peralta,Donaldson,Stuart,Faulkner,Maynard,
Galindo,Coffey,Estes,Sanford,Burch,Maddox,Vo,OConnell,Vu,Andersen,Spence,McPherson,Schmitt,Stanton,Leal,Cherry,Compton,Dudley,
Sierra,Pollard,Alfaro,Hester,Proctor,Lu,Hinton,Novak,Good,Madden,McCann,Terrell,Jarvis,Dickson,Reyna,Cantrell,Mayo,Branch,
Hendrix,Rollins,Rowland,Whitney,Duke,Odom,Daugherty,Travis,Tang`.replace(/\n/g, '');

// Synthetic long tail (ranks > 800): ~60k rare surnames, sampled ~ 1/rank.
const TAIL_ON = 'Ab,Al,Ash,Bar,Bel,Ben,Bl,Br,Bran,Brook,Cal,Car,Cart,Ch,Cl,Cr,Dal,Dav,Del,Dr,Ed,El,Em,Fair,Far,Fen,Fl,Gal,Gar,Gl,Gr,Hal,Har,Hart,Hol,Hum,Jan,Kal,Kel,Ken,Kr,Lan,Lat,Lind,Mad,Mar,Mel,Mor,Nel,Nor,Os,Pal,Pel,Pr,Quin,Ral,Ren,Ros,Sal,Sh,Sl,St,Stan,Str,Tal,Th,Tr,Ul,Van,Ver,Wal,War,Wes,Wh,Wil,Win,Yar,Zel,Kow,Pol,Dom,Mik,Nov,Pet,Kar,Lev,Sok,Hav,Ost,Rud'.split(',');
const TAIL_MID = ',a,e,i,o,u,en,er,in,an,el,ing,ow,ar'.split(',');
const TAIL_END = 'ford,ton,ley,son,sen,berg,man,mann,field,wood,ski,sky,ez,elli,etti,ian,yan,ovich,ovic,stein,dale,ridge,well,by,more,ham,ard,ick,ett,ner,land,worth,ers,opoulos,enko,czyk,ak,ik,ston,bury,cott,ins,ey,o,a,ini,er,ova'.split(',');
const TAIL_SIZE = TAIL_ON.length * TAIL_MID.length * TAIL_END.length;
function tailSurname(i: number): string {
  const j = (i * 7919 + 1237) % TAIL_SIZE;
  const on = TAIL_ON[j % TAIL_ON.length]!;
  const mid = TAIL_MID[Math.floor(j / TAIL_ON.length) % TAIL_MID.length]!;
  const end = TAIL_END[Math.floor(j / (TAIL_ON.length * TAIL_MID.length)) % TAIL_END.length]!;
  let s = on + mid + end;
  s = s.replace(/([aeiou])\1\1/g, '$1$1');
  return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
}

class UsSurnames {
  private readonly listed: Weighted<string>;
  private readonly tailShare: number;
  private readonly tailMax: number;
  constructor() {
    const pairs: [string, number][] = [...US_SURNAMES_TOP];
    const seen = new Set(pairs.map((p) => p[0]));
    let rank = pairs.length;
    for (const raw of US_SURNAMES_NEXT.split(',')) {
      const n = fixApostrophe(raw.trim());
      if (!n || seen.has(n)) continue;
      seen.add(n);
      rank++;
      pairs.push([n, 81 * Math.pow(100 / rank, 0.78)]);
    }
    this.listed = new Weighted(pairs);
    const tailMass = Math.max(0, 100000 - this.listed.total); // per 100k
    this.tailShare = tailMass / 100000;
    this.tailMax = Math.min(TAIL_SIZE, 60000);
  }
  sample(r: Rng): string {
    if (r.chance(this.tailShare)) {
      // ~1/rank over ranks 800..(800+tailMax)
      const x = 800 * Math.exp(r.next() * Math.log((800 + this.tailMax) / 800));
      return tailSurname(Math.min(this.tailMax - 1, Math.floor(x) - 800));
    }
    return this.listed.sample(r);
  }
}

function fixApostrophe(n: string): string {
  if (/^O[A-Z]/.test(n)) return `O'${n.slice(1)}`;
  return n;
}

// Given names, ranked for US adults born ~1955-2008 (SSA-style cohort mix), typed in.
const US_MALE = ranked(`Michael,James,John,Robert,David,Christopher,William,Joseph,Daniel,Matthew,Joshua,Anthony,Richard,
Charles,Thomas,Andrew,Brian,Kevin,Steven,Jason,Mark,Ryan,Eric,Justin,Brandon,Timothy,Jose,Jonathan,Jeffrey,Nicholas,Tyler,Paul,
Scott,Kenneth,Aaron,Adam,Gregory,Benjamin,Jacob,Donald,Stephen,Samuel,Patrick,Zachary,Juan,Kyle,Sean,Jeremy,Travis,Nathan,Gary,
Dustin,Luis,Carlos,Austin,Christian,Cody,Jesse,Alexander,Jordan,Larry,Bryan,Dennis,Ronald,Edward,Frank,Raymond,Jerry,Shawn,Derek,
Chad,Corey,Marcus,Antonio,Victor,Terrence,Dylan,Ethan,Noah,Logan,Jamal,Darius,DeShawn,Tyrone,Malik,Andre,Terrell,Keith,Roger,
Wayne,Bobby,Billy,Randy,Ricky,Troy,Shane,Cameron,Devin,Trevor,Caleb,Isaiah,Xavier,Jalen,Trey,Miguel,Alejandro,Jorge,Manuel,Jesus,
Ricardo,Francisco,Omar,Eduardo,Angel,Hector,Hunter,Brett,Seth,Craig,Todd,Darren,Lance,Dale,Curtis,Phillip,Vincent,Russell,Allen,
Martin,Jimmy,Johnny,Danny,Tony,Lee,Roy,Eugene,Carl,Harold,Howard,Walter,Henry,Peter,Albert,Louis,Ralph,Gerald,Dwayne,Lamar,
Reginald,Cedric,Maurice,Quinton,Demetrius,Jermaine,Rashad,Dominic,Gabriel,Elijah,Mason,Liam,Aiden,Jayden,Carter,Connor,Colton,
Garrett,Blake,Spencer,Wesley,Bradley,Grant,Levi,Tanner,Chase,Mitchell,Nathaniel,Evan,Ian,Luke,Jack,Brent,Clayton,Marco,Raul,
Sergio,Mario,Ruben,Oscar,Julian,Fernando,Javier,Adrian,Diego,Ivan,Erik,Alan,Jared,Joel,Derrick,Tommy,Calvin,Ray,Glenn,Clifford,
Leonard,Stanley,Douglas,Gordon,Warren,Kurt,Marvin,Floyd`.replace(/\n/g, ''), 8, 1);

const US_FEMALE = ranked(`Jennifer,Jessica,Ashley,Amanda,Sarah,Stephanie,Melissa,Nicole,Elizabeth,Heather,Michelle,Amy,
Kimberly,Angela,Lisa,Emily,Rebecca,Megan,Brittany,Samantha,Rachel,Laura,Lauren,Christina,Kelly,Crystal,Tiffany,Maria,Danielle,
Amber,Erin,Andrea,Julie,Mary,Patricia,Linda,Susan,Karen,Donna,Deborah,Sandra,Cynthia,Tammy,Brenda,Pamela,Teresa,Kathleen,
Christine,Tracy,Dawn,Stacy,Shannon,Courtney,Kayla,Chelsea,Victoria,Alyssa,Taylor,Hannah,Madison,Brianna,Alexis,Destiny,Jasmine,
Kaitlyn,Morgan,Haley,Sierra,Vanessa,Monica,Veronica,Erica,Tara,April,Misty,Kristen,Katherine,Catherine,Anna,Jacqueline,Natalie,
Erika,Tanya,Wendy,Carrie,Diana,Denise,Valerie,Holly,Lindsey,Kristina,Kathryn,Alicia,Theresa,Sharon,Carol,Nancy,Barbara,Margaret,
Debra,Janet,Rhonda,Robin,Tina,Cheryl,Sheila,Renee,Gina,Regina,Jill,Kristy,Latoya,Tameka,Keisha,Ebony,Shanice,Aaliyah,Imani,
Diamond,Precious,Brandy,Candice,Mercedes,Ciara,Gabriela,Alejandra,Adriana,Guadalupe,Yesenia,Marisol,Leticia,Claudia,Ana,Rosa,
Sofia,Isabella,Emma,Olivia,Abigail,Chloe,Mia,Ava,Kaylee,Paige,Autumn,Savannah,Brooke,Kendra,Leah,Whitney,Allison,Jenna,Sara,
Cassandra,Krystal,Felicia,Tasha,Bianca,Carmen,Evelyn,Joyce,Judy,Stacey,Tonya,Lori,Dana,Leslie,Meghan,Kelsey,Mallory,Mackenzie,
Sydney,Riley,Katie,Caitlin,Lacey,Marissa,Miranda,Melanie,Christy,Kara,Shelby,Paula,Beth,Rose`.replace(/\n/g, ''), 8, 1);

// Hispanic given names as used in South Texas / Houston, ranked; compound names give a middle.
const HISP_MALE = ranked(`Jose,Juan,Luis,Carlos,Jesus,Miguel,Francisco,Antonio,Jorge,Alejandro,Manuel,Pedro,Ricardo,
Roberto,Javier,Fernando,Daniel,Eduardo,Mario,Raul,Sergio,Oscar,Victor,Ruben,Hector,Rafael,Arturo,Alberto,Enrique,Martin,Gerardo,
Ramon,David,Jaime,Guillermo,Adrian,Julio,Armando,Alfredo,Ernesto,Salvador,Rogelio,Ignacio,Rodrigo,Reynaldo,Gilberto,Felipe,
Andres,Cesar,Omar,Abel,Ismael,Israel,Joel,Moises,Santiago,Gustavo,Hugo,Angel,Diego`.replace(/\n/g, ''), 1.5, 1.1);
const HISP_FEMALE = ranked(`Maria,Guadalupe,Juana,Rosa,Ana,Veronica,Patricia,Elizabeth,Laura,Leticia,Gabriela,Adriana,
Alejandra,Martha,Claudia,Silvia,Yolanda,Sandra,Margarita,Teresa,Carmen,Angelica,Diana,Alicia,Norma,Josefina,Marisol,Yesenia,
Araceli,Lucia,Monica,Irma,Elena,Cecilia,Graciela,Rosario,Dolores,Esperanza,Marisela,Cynthia,Erika,Vanessa,Jessica,Brenda,
Karina,Mayra,Lorena,Blanca,Sofia,Daniela`.replace(/\n/g, ''), 1.5, 1.1);
const HISP_COMPOUND_M: Record<string, string[]> = {
  Jose: ['Luis', 'Antonio', 'Manuel', 'Angel', 'Guadalupe', 'Alfredo'],
  Juan: ['Carlos', 'Manuel', 'Jose', 'Pablo', 'Antonio'],
  Luis: ['Miguel', 'Alberto', 'Enrique', 'Fernando'],
  Miguel: ['Angel'],
  Jesus: ['Alberto', 'Manuel'],
  Carlos: ['Alberto', 'Eduardo'],
};
const HISP_COMPOUND_F: Record<string, string[]> = {
  Maria: ['Guadalupe', 'Elena', 'Isabel', 'Luisa', 'de Jesus', 'del Carmen', 'Teresa', 'Fernanda', 'Dolores'],
  Ana: ['Maria', 'Laura', 'Karen'],
  Rosa: ['Maria', 'Elena'],
  Martha: ['Alicia', 'Patricia'],
  Juana: ['Maria'],
};
const US_MIDDLE_M = 'James,Lee,Allen,Wayne,Michael,Ray,Joseph,Edward,Anthony,Scott,Thomas,Alan,Dean,Lynn,Paul,David,Robert,Daniel,Andrew,Christopher'.split(',');
const US_MIDDLE_F = 'Marie,Ann,Lynn,Nicole,Elizabeth,Michelle,Renee,Rose,Jean,Louise,Kay,Dawn,Leigh,Grace,Mae,Danielle,Jo,Ashley'.split(',');

// Vietnamese: surname shares in Vietnamese-American communities; given names; adopted English names.
const VIET_SURNAMES = new Weighted(counted('Nguyen 36,Tran 11,Le 9,Pham 7,Huynh 5,Hoang 3.5,Phan 3.5,Vu 3,Vo 4,Dang 2.5,Bui 2.5,Do 2.5,Ho 2,Ngo 2,Duong 1.5,Ly 1.5,Truong 1.5,Dinh 1,Lam 1,Luu 0.8,Mai 0.7,Trinh 0.7,Ta 0.5'));
const VIET_MALE = ranked('Minh,Tuan,Hung,Dung,Thanh,Huy,Long,Nam,Duc,Quang,Khoa,Phong,Hai,Son,Tam,Vinh,Bao,Cuong,Hieu,Khanh,Tri,Phuc,Loc,Thinh,Trung', 1.5, 1.1);
const VIET_FEMALE = ranked('Linh,Lan,Huong,Trang,Mai,Hoa,Ngoc,Thao,Thuy,Phuong,Hanh,Nhung,Anh,Tien,Vy,Yen,Nga,Hien,Diem,Uyen', 1.5, 1.1);
const VIET_MIDDLE_M = ['Van', 'Van', 'Van', 'Duc', 'Minh', 'Quoc', 'Thanh', 'Huu'];
const VIET_MIDDLE_F = ['Thi', 'Thi', 'Thi', 'Ngoc', 'Thanh', 'Kim', 'Bich'];
const VIET_EN_M = ['Kevin', 'Tony', 'Jimmy', 'Johnny', 'Danny', 'Peter', 'David', 'Andy', 'Henry', 'Tommy', 'Vincent', 'Steven'];
const VIET_EN_F = ['Tina', 'Jenny', 'Kim', 'Vivian', 'Linda', 'Cindy', 'Kathy', 'Nancy', 'Lisa', 'Amy', 'Tracy', 'Michelle'];

// Community surnames for a South-Texas-style Hispanic community (share of that community, %).
const HISP_SURNAMES = new Weighted(counted(`Garcia 14,Hernandez 11,Martinez 9.5,Gonzalez 8.5,Rodriguez 8,Lopez 7,Perez 5,
Garza 4.5,Sanchez 4,Ramirez 3.5,Flores 2.6,Torres 2,Rivera 1.4,Gomez 1.5,Diaz 1.3,Cruz 1.3,Reyes 1.3,Morales 1.2,Gutierrez 1.2,
Ortiz 1.1,Chavez 1.1,Ramos 1,Ruiz 1,Alvarez 0.9,Mendoza 0.9,Castillo 0.9,Jimenez 0.8,Vasquez 0.8,Moreno 0.8,Romero 0.8,
Herrera 0.7,Medina 0.7,Aguilar 0.7,Vargas 0.6,Guzman 0.6,Mendez 0.6,Salazar 0.6,Soto 0.5,Delgado 0.5,Pena 0.5,Rios 0.5,
Alvarado 0.5,Sandoval 0.4,Contreras 0.4,Valdez 0.4,Guerrero 0.4,Ortega 0.4,Estrada 0.4,Nunez 0.3,Maldonado 0.3,Vega 0.3,
Dominguez 0.3,Cervantes 0.3,Ibarra 0.3,Navarro 0.3,Acosta 0.3,Trevino 0.6,Cantu 0.5,Salinas 0.5,Villarreal 0.5,Cavazos 0.3,
Saenz 0.3,Longoria 0.3,Guerra 0.4,Barrera 0.3,Zamora 0.3,Rangel 0.3,Castaneda 0.3,Montemayor 0.2,Olivarez 0.2,Leal 0.3`.replace(/\n/g, '')));
const HISP_SURNAME_SET = new Set(HISP_SURNAMES.items.concat(['Fernandez', 'Munoz', 'Santiago', 'Espinoza', 'Marquez', 'Juarez', 'Cortez', 'Figueroa', 'Avila', 'Molina', 'Campos', 'Miranda', 'Ayala', 'Carrillo', 'Duran', 'Lara', 'Robles', 'Solis', 'Fuentes', 'Velasquez', 'Aguirre', 'Ochoa', 'Cardenas', 'Pacheco', 'Calderon', 'Rivas', 'Serrano', 'Rosales', 'Trujillo', 'Montoya', 'Valencia', 'Franco', 'Gallegos', 'Camacho', 'Colon', 'Suarez', 'Orozco', 'Salas', 'Andrade', 'Escobar', 'Velazquez', 'Macias', 'Villanueva', 'Pineda', 'Mercado', 'Santana', 'Bautista', 'Lozano', 'Arias', 'Mora', 'Valenzuela', 'Zuniga', 'Melendez', 'Rocha', 'Galvan', 'Velez', 'Meza', 'Villa', 'Tapia', 'Sosa', 'Bonilla', 'Acevedo', 'Benitez', 'Zavala', 'Cisneros', 'Rubio', 'Arroyo', 'Arellano', 'Beltran', 'Ponce']));
const VIET_SURNAME_SET = new Set(VIET_SURNAMES.items);

// Nicknames and short forms: formal -> used forms.
const NICKNAMES: Record<string, string[]> = Object.fromEntries(
  `Robert:Bob|Rob|Bobby|Robbie;Michael:Mike|Mikey;William:Will|Bill|Billy|Willie;James:Jim|Jimmy|Jamie;John:Johnny|Jack;
Richard:Rick|Rich|Ricky|Dick;Joseph:Joe|Joey;Thomas:Tom|Tommy;Christopher:Chris;Charles:Charlie|Chuck;Daniel:Dan|Danny;
Matthew:Matt;Anthony:Tony;Andrew:Andy|Drew;Steven:Steve;Stephen:Steve;Joshua:Josh;Jonathan:Jon|Johnny;Nicholas:Nick|Nicky;
Benjamin:Ben|Benny;Samuel:Sam|Sammy;Alexander:Alex|Xander;Gregory:Greg;Kenneth:Ken|Kenny;Ronald:Ron|Ronnie;Donald:Don|Donnie;
Timothy:Tim|Timmy;Patrick:Pat;Edward:Ed|Eddie|Ted;Jeffrey:Jeff;Zachary:Zach|Zack;Raymond:Ray;Lawrence:Larry;Gerald:Jerry;
Douglas:Doug;Phillip:Phil;Nathan:Nate;Nathaniel:Nate|Nathan;Jacob:Jake;David:Dave|Davey;Terrence:Terry;Walter:Walt;
Russell:Russ;Vincent:Vince|Vinny;Cameron:Cam;Dominic:Dom;Gabriel:Gabe;Bradley:Brad;Mitchell:Mitch;Frank:Frankie;Eugene:Gene;
Harold:Harry|Hal;Henry:Hank|Harry;Elijah:Eli;Jennifer:Jen|Jenny;Jessica:Jess|Jessie;Elizabeth:Liz|Beth|Lizzie|Betty;
Katherine:Kate|Katie|Kathy;Catherine:Cathy|Kate;Kathleen:Kathy|Katie;Kimberly:Kim;Patricia:Pat|Patty|Trish|Paty;
Deborah:Deb|Debbie;Debra:Deb|Debbie;Cynthia:Cindy;Barbara:Barb;Margaret:Maggie|Peggy|Meg;Rebecca:Becky;Amanda:Mandy;
Samantha:Sam|Sammy;Nicole:Nikki;Victoria:Vicky|Tori;Christina:Tina|Chris;Christine:Chris|Chrissy;Angela:Angie;Stephanie:Steph;
Abigail:Abby;Ashley:Ash;Megan:Meg;Theresa:Terri|Tess;Valerie:Val;Sandra:Sandy;Susan:Sue|Susie;Pamela:Pam;Tamara:Tammy;
Melissa:Missy|Mel;Alexis:Lexi;Cassandra:Cassie;Allison:Ali;Natalie:Nat;Danielle:Dani;Jacqueline:Jackie;Kristen:Kris;
Madison:Maddie;Jesus:Chuy|Chucho;Guadalupe:Lupe|Lupita;Francisco:Pancho|Paco|Frank;Jose:Pepe|Joe;Guillermo:Memo|Willie;
Alberto:Beto;Roberto:Beto|Bobby;Antonio:Tono|Tony;Ignacio:Nacho;Eduardo:Lalo|Eddie;Enrique:Quique|Henry;Rafael:Rafa|Ralph;
Teresa:Tere|Terri;Rosario:Chayo;Leticia:Lety;Graciela:Chela;Manuel:Manny|Manolo;Alejandro:Alex|Alejo;Ricardo:Ricky|Richard;
Javier:Javi;Miguel:Mike;Juan:Johnny|Juanito;Luis:Louie|Lucho;Carlos:Charlie|Carlitos;Fernando:Nando|Fer;Gerardo:Jerry;
Salvador:Chava|Sal;Rodrigo:Rigo;Jorge:George;Armando:Mando;Rogelio:Roger|Roy;Reynaldo:Rey|Nayo;Maria:Mary;Josefina:Josie|Chepa;
Margarita:Maggie|Margie;Dolores:Lola|Lolis;Mercedes:Meche;Yolanda:Yoli;Alicia:Licha;Gabriela:Gaby|Gabby;Adriana:Adri;
Angelica:Angie;Veronica:Vero|Ronnie;Araceli:Chely;Cecilia:Ceci;Gilberto:Gil|Beto;Alfredo:Freddy|Fredo;Gustavo:Gus;
Ernesto:Neto|Ernie;Daniela:Dani;Sofia:Sofi`.replace(/\n/g, '').split(';').map((e) => {
    const [k, v] = e.split(':') as [string, string];
    return [k, v.split('|')];
  }),
);

// Spelling variants a reporter writes for the same name.
const VARIANTS: Record<string, string[]> = Object.fromEntries(
  `Gonzalez:Gonzales;Rodriguez:Rodrigues|Rodriquez;Hernandez:Hernandes|Hernadez;Martinez:Martines;Sanchez:Sanches;
Ramirez:Ramires;Perez:Peres;Vasquez:Vazquez|Vasques;Jimenez:Gimenez|Jiminez;Gutierrez:Gutierez;Dominguez:Dominquez;
Chavez:Chaves;Alvarez:Alvares;Garza:Garsa;Trevino:Trevion;Nguyen:Ngyuen|Nguyn|Nugyen|Nguen;Huynh:Huyhn|Huyen;Tran:Trahn;
Le:Lee;Smith:Smyth;Thompson:Thomson|Tompson;Johnson:Jonson|Johnsen;Peterson:Petersen;Anderson:Andersen;Phillips:Philips;
Reid:Reed;Gray:Grey;Meyer:Meyers|Myers;Stephens:Stevens;Davis:Davies;Katherine:Kathryn|Catherine;Steven:Stephen;Jon:John;
Sean:Shawn|Shaun;Brian:Bryan;Eric:Erik;Mark:Marc;Jeffrey:Jeffery|Geoffrey;Phillip:Philip;Sarah:Sara;Sara:Sarah;
Christina:Cristina|Kristina;Kristen:Kristin;Jasmine:Jazmin|Jazmine;Alexis:Alexus;Destiny:Destinee;Brittany:Britney|Brittney;
Yesenia:Jesenia;Jacqueline:Jaqueline;Jennifer:Jenifer;Aaron:Aron;Isaiah:Isiah;Jamal:Jamaal;Tyrone:Tyron;Marisol:Marisel;
Guadalupe:Guadalup;Jessica:Jesica;Michael:Micheal;Cynthia:Cinthia;Leticia:Leticya;Kaitlyn:Katelyn|Caitlin`.replace(/\n/g, '').split(';').map((e) => {
    const [k, v] = e.split(':') as [string, string];
    return [k, v.split('|')];
  }),
);

const ACCENTED: Record<string, string> = Object.fromEntries(
  `Hernandez:Hernández;Martinez:Martínez;Gonzalez:González;Rodriguez:Rodríguez;Lopez:López;Perez:Pérez;Sanchez:Sánchez;
Ramirez:Ramírez;Gomez:Gómez;Diaz:Díaz;Jimenez:Jiménez;Gutierrez:Gutiérrez;Vasquez:Vásquez;Munoz:Muñoz;Nunez:Núñez;Pena:Peña;
Chavez:Chávez;Dominguez:Domínguez;Alvarez:Álvarez;Trevino:Treviño;Castaneda:Castañeda;Ruben:Rubén;Raul:Raúl;Jose:José;
Jesus:Jesús;Maria:María;Ramon:Ramón;Hector:Héctor;Adrian:Adrián;Angel:Ángel;Victor:Víctor;Oscar:Óscar;Martin:Martín;
Veronica:Verónica;Monica:Mónica;Angelica:Angélica;Sofia:Sofía;Lucia:Lucía;Nguyen:Nguyễn;Tran:Trần;Pham:Phạm;Vu:Vũ;Vo:Võ`.replace(/\n/g, '').split(';').map((e) => e.split(':') as [string, string]),
);

const STREET_NAMES = ['Flaco', 'Gordo', 'Shorty', 'Spider', 'Ghost', 'Smokey', 'Tiny', 'Junior', 'Boo', 'Red', 'Peanut', 'Bam', 'Tank', 'Slim', 'Dre', 'Nene', 'Kiki', 'Lucky', 'Bird', 'Droopy', 'Sleepy', 'Pelon', 'Pollo', 'Tigre', 'Cuz', 'Trouble', 'Stretch', 'Ace', 'Cash', 'Biggie', 'Dino', 'Snoop', 'Woody', 'Bubba', 'Scooter', 'Chewy', 'Ozzy', 'Zeke'];

// =====================================================================================
// Geography: metros, area codes, plate formats
// =====================================================================================

interface Metro { name: string; state: string; x: number; y: number; weight: number; npas: string[]; agency: string; spread: number; tz: number; dst: boolean }

const ALL_METROS: Metro[] = `Houston,TX,-1300,-1050,7,713|281|832|346,HPD;Dallas,TX,-1350,-800,7,214|469|972,DPD;San Antonio,TX,-1550,-1100,4,210|726,SAPD;
Los Angeles,CA,-3250,-500,13,213|323|310|818|626|562,LAPD;San Diego,CA,-3150,-680,3,619|858,SDPD;Phoenix,AZ,-2700,-600,5,602|480|623,PPD;
Chicago,IL,-500,450,9,312|773|708|630,CPD;Atlanta,GA,-300,-500,6,404|470|678|770,APD;Miami,FL,100,-1500,6,305|786|954,MDPD;
Tampa,FL,-100,-1250,3,813|727,TPD;Orlando,FL,0,-1200,3,407|321,OPD;New York,NY,900,450,14,718|347|917|646,NYPD;
Philadelphia,PA,750,350,5,215|267,PPD;Charlotte,NC,200,-250,3,704|980,CMPD;Columbus,OH,-100,250,2,614,CPD;Detroit,MI,-200,550,4,313|248,DPD;
Denver,CO,-1900,150,3,303|720,DPD;Seattle,WA,-3100,1500,4,206|253,SPD;Las Vegas,NV,-2900,-200,2,702|725,LVMPD;Nashville,TN,-500,-250,2,615,MNPD;
Memphis,TN,-800,-350,1,901,MPD;New Orleans,LA,-850,-1000,1,504,NOPD;Baltimore,MD,600,250,3,410|443,BPD;St. Louis,MO,-800,100,3,314,SLMPD;
Kansas City,MO,-1150,100,2,816,KCPD;Indianapolis,IN,-450,200,2,317,IMPD;Albuquerque,NM,-2200,-500,1,505,APD;
Oklahoma City,OK,-1400,-450,1,405,OKCPD;Portland,OR,-3150,1300,2,503|971,PPB`.replace(/\n/g, '').split(';').map((s) => {
  const [name, state, x, y, w, npas, agency] = s.split(',') as [string, string, string, string, string, string, string];
  const tz = ({ CA: -8, WA: -8, OR: -8, NV: -8, AZ: -7, CO: -7, NM: -7, TX: -6, IL: -6, TN: -6, LA: -6, MO: -6, OK: -6 } as Record<string, number>)[state] ?? -5;
  return { name, state, x: Number(x), y: Number(y), weight: Number(w), npas: npas.split('|'), agency, spread: 14, tz, dst: state !== 'AZ' };
});

const PLATE_FORMATS: Record<string, string[]> = {
  TX: ['LLL-NNNN', 'LLL-NNNN', 'LLL-NNNN', 'LLL NNN'], CA: ['NLLLNNN'], FL: ['LLL LNN', 'LLLL NN', 'NNN LLL'], NY: ['LLL-NNNN'],
  IL: ['LL NNNNN', 'L NNN NNN'], GA: ['LLL NNNN', 'LLLNNNN'], AZ: ['LLL NNNN', 'LLLNNNN'], PA: ['LLL-NNNN'], NC: ['LLL-NNNN'],
  OH: ['LLL NNNN'], MI: ['LLL NNNN', 'NLLNNN'], CO: ['LLL-LNN', 'NNN-LLL'], WA: ['LLLNNNN'], NV: ['NLLNNN', 'NNN LNN'],
  TN: ['LLL NNNN', 'NLLNNN'], LA: ['NNN LLL'], MD: ['NLLNNNN'], MO: ['LLN LNL'], IN: ['NNN LLL', 'NNNLL'], NM: ['LLL NNN'],
  OK: ['LLL-NNN', 'LLL NNN'], OR: ['NNN LLL', 'LLL NNN'], AL: ['NLLNNNN', 'NNLLNNN'], SC: ['LLL NNN'],
};
const PLATE_LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ'; // I, O, Q not issued

// DMVs do not issue (and our free text must not carry) offensive or sensitive letter runs.
const PLATE_BLOCK = /GAY|SEX|FAG|KKK|ASS|G0D|GOD|JEW|NAZ|HIV|AID|FUK|FUC|CUM|TIT|NIG|DYK|HOE|RAP|GOY|KIL|DIE|WTF|XXX|LSD|THC|DUI|POT|PEE|POO|SHT|MUS|CUK|H8/;
function plateOk(p: string): boolean {
  return !PLATE_BLOCK.test(p.replace(/[\s-]/g, '').toUpperCase());
}
function makePlate(state: string, r: Rng): { display: string; state: string } {
  const fmt = r.pick(PLATE_FORMATS[state] ?? ['LLL NNNN']);
  for (;;) {
    let out = '';
    for (const ch of fmt) {
      if (ch === 'L') out += r.pick(PLATE_LETTERS.split(''));
      else if (ch === 'N') out += String(r.int(0, 9));
      else out += ch;
    }
    if (plateOk(out)) return { display: out, state };
  }
}

// Vehicles on US roads (make, model, body, weight), colours (US spelling "gray" and "grey" both seen).
const VEHICLES = new Weighted<[string, string, string]>(`Toyota,Camry,sedan,6;Toyota,Corolla,sedan,5;Toyota,RAV4,SUV,4;Toyota,Tacoma,pickup,2;
Honda,Civic,sedan,5;Honda,Accord,sedan,5;Honda,CR-V,SUV,4;Ford,F-150,pickup,6;Ford,Explorer,SUV,3;Ford,Escape,SUV,3;Ford,Focus,sedan,2;
Ford,Fusion,sedan,2;Chevrolet,Silverado,pickup,5;Chevrolet,Malibu,sedan,4;Chevrolet,Impala,sedan,3;Chevrolet,Equinox,SUV,3;
Chevrolet,Tahoe,SUV,2;Chevrolet,Cruze,sedan,2;Nissan,Altima,sedan,6;Nissan,Sentra,sedan,4;Nissan,Rogue,SUV,3;Nissan,Maxima,sedan,2;
Dodge,Charger,sedan,4;Ram,1500,pickup,3;Dodge,Durango,SUV,2;Dodge,Grand Caravan,minivan,2;Hyundai,Elantra,sedan,4;Hyundai,Sonata,sedan,3;
Hyundai,Tucson,SUV,2;Kia,Optima,sedan,2;Kia,Soul,hatchback,2;Kia,Forte,sedan,2;Jeep,Grand Cherokee,SUV,3;Jeep,Wrangler,SUV,2;
Jeep,Cherokee,SUV,2;GMC,Sierra,pickup,2;GMC,Yukon,SUV,1;Chrysler,300,sedan,2;Chrysler,Pacifica,minivan,1;Buick,Enclave,SUV,1;
Mazda,Mazda3,sedan,1;Volkswagen,Jetta,sedan,1;BMW,3 Series,sedan,1;Mercedes-Benz,C-Class,sedan,1;Cadillac,Escalade,SUV,1;
Infiniti,G35,sedan,1;Lexus,RX 350,SUV,1`.replace(/\n/g, '').split(';').map((s) => {
  const [mk, md, body, w] = s.split(',') as [string, string, string, string];
  return [[mk, md, body], Number(w)] as const;
}));
const RENTAL_VEHICLES = new Weighted<[string, string, string]>([
  [['Nissan', 'Altima', 'sedan'], 5], [['Nissan', 'Sentra', 'sedan'], 4], [['Nissan', 'Versa', 'sedan'], 3], [['Toyota', 'Camry', 'sedan'], 4],
  [['Toyota', 'Corolla', 'sedan'], 4], [['Chevrolet', 'Malibu', 'sedan'], 4], [['Kia', 'Forte', 'sedan'], 3], [['Kia', 'K5', 'sedan'], 2],
  [['Hyundai', 'Elantra', 'sedan'], 3], [['Ford', 'Escape', 'SUV'], 2], [['Jeep', 'Compass', 'SUV'], 2], [['Chevrolet', 'Trax', 'SUV'], 2],
]);
const COLOURS = new Weighted(counted('white 24,black 20,gray 18,silver 14,blue 9,red 9,maroon 2,green 1.5,gold 1,brown 1,beige 1,orange 0.5'));
const RENTAL_COLOURS = new Weighted(counted('white 35,silver 20,gray 20,black 15,blue 6,red 4'));
const MAKE_ALIASES: Record<string, string[]> = { Chevrolet: ['Chevy', 'Chevy'], Volkswagen: ['VW'], 'Mercedes-Benz': ['Mercedes', 'Benz'], Ram: ['Dodge'], Mazda: ['Mazda'] };
const COLOUR_CONFUSION: Record<string, string[]> = {
  gray: ['grey', 'silver', 'dark gray', 'charcoal'], silver: ['gray', 'grey', 'light gray'], white: ['cream', 'off-white', 'pearl white'],
  black: ['dark blue', 'dark gray'], blue: ['dark blue', 'navy', 'light blue'], red: ['maroon', 'burgundy'], maroon: ['red', 'burgundy', 'dark red'],
  green: ['dark green'], gold: ['beige', 'tan'], brown: ['tan', 'bronze'], beige: ['tan', 'gold'], orange: ['red'],
};

// =====================================================================================
// Distinguishing features with paraphrases (no sensitive characteristics)
// =====================================================================================

type Side = 'left' | 'right';
interface Feature { kind: string; motif?: string; loc?: string; side?: Side; salience: number }

const TATTOO_LOCS: [string, boolean, number, number][] = [
  // location, sided, salience, weight
  ['forearm', true, 0.5, 8], ['hand', true, 0.55, 5], ['neck', true, 0.7, 6], ['wrist', true, 0.35, 3], ['upper arm', true, 0.3, 3],
  ['calf', true, 0.2, 2], ['knuckles', false, 0.5, 2], ['face', true, 0.85, 2], ['behind ear', true, 0.3, 1.5], ['throat', false, 0.7, 1.5],
  ['fingers', true, 0.35, 2],
];
const TATTOO_MOTIFS = 'snake,rose,skull,spider web,dragon,butterfly,star,clock,dice,flames,eagle,anchor,wolf,koi fish,lion,crown,dollar sign,heart,tiger,scorpion,playing cards,feather,compass,script lettering,barcode,money bag,lightning bolt,paw prints'.split(',');
const MOTIF_SYNONYMS: Record<string, string[]> = {
  snake: ['serpent', 'cobra'], rose: ['flower', 'roses'], skull: ['skeleton head', 'skulls'], 'spider web': ['web', 'cobweb', 'spiderweb'],
  dragon: ['lizard-like creature'], butterfly: ['moth'], star: ['stars', 'nautical star'], clock: ['pocket watch', 'clock face'],
  dice: ['pair of dice'], flames: ['fire'], eagle: ['bird', 'hawk'], anchor: ['ship anchor'], wolf: ['dog head', 'wolf head'],
  'koi fish': ['fish', 'koi'], lion: ['lion head', 'big cat'], crown: ['king crown'], 'dollar sign': ['$ sign', 'money sign'],
  heart: ['hearts'], tiger: ['big cat', 'tiger head'], scorpion: ['bug'], 'playing cards': ['cards', 'ace of spades'],
  feather: ['feathers'], compass: ['compass rose'], 'script lettering': ['writing', 'words', 'cursive writing'], barcode: ['bar code'],
  'money bag': ['bag of money'], 'lightning bolt': ['lightning'], 'paw prints': ['paw print', 'dog paws'],
};
const KNUCKLE_WORDS = ['LOVE', 'TRUE', 'RICH', 'FREE', 'LUCK', 'LIFE', 'CASH', 'GAME'];

const OTHER_FEATURES: [string, number, number][] = [
  // kind, salience, weight
  ['scar-cheek', 0.6, 3], ['scar-eyebrow', 0.5, 2], ['scar-chin', 0.35, 1], ['nose-ring', 0.5, 3], ['septum', 0.55, 2],
  ['eyebrow-piercing', 0.5, 1.5], ['lip-ring', 0.5, 1.5], ['gauges', 0.5, 2], ['gold-teeth', 0.5, 2.5], ['missing-tooth', 0.35, 2],
  ['braces', 0.3, 1], ['shaved-head', 0.45, 3], ['bleached-hair', 0.5, 1.5], ['red-hair', 0.5, 1.5], ['ponytail', 0.35, 2],
  ['man-bun', 0.4, 1], ['mullet', 0.45, 1], ['dyed-hair', 0.6, 1.2], ['freckles', 0.35, 1.5], ['mole', 0.3, 1.5],
  ['birthmark', 0.45, 0.8], ['glasses', 0.45, 3], ['beard', 0.4, 3], ['goatee', 0.4, 2], ['mustache', 0.35, 1.5],
];
const TRANSIENT_FEATURES = ['glasses', 'beard', 'goatee', 'mustache', 'stubble'];

function sideWord(side: Side | undefined, r: Rng): string {
  if (!side) return '';
  const forms = side === 'left' ? ['left', 'left', 'left', 'L', 'lt', 'L.'] : ['right', 'right', 'right', 'R', 'rt', 'R.'];
  return r.pick(forms);
}

function article(w: string): string {
  return /^[aeiou]/i.test(w) ? `an ${w}` : `a ${w}`;
}

function renderFeature(f: Feature, r: Rng, quality: number): string {
  // quality < 1: vaguer renderings; side sometimes confused
  let side = f.side;
  if (side && r.chance(0.06)) side = side === 'left' ? 'right' : 'left';
  if (side && r.chance(0.25 * (1.4 - quality))) side = undefined;
  const sw = sideWord(side, r);
  const sp = (s: string): string => s.replace(/\s+/g, ' ').trim();
  switch (f.kind) {
    case 'tattoo': {
      const loc = f.loc!;
      let motif = f.motif!;
      if (loc === 'knuckles') {
        return r.pick([`knuckle tattoos "${motif}"`, `"${motif}" tattooed on knuckles`, `letters on knuckles (${motif})`, 'knuckle tattoos', `${motif.split('').join(' ')} on fingers`]);
      }
      if (r.chance(0.3)) motif = r.pick(MOTIF_SYNONYMS[motif] ?? [motif]);
      if (r.chance(0.04)) motif = r.pick(TATTOO_MOTIFS); // misidentified
      const place = (s: string): string => {
        switch (loc) {
          case 'face': return r.pick([`under ${s} eye`, `${s} cheek`, `${s} side of face`]);
          case 'neck': return r.pick([`${s} side of neck`, `${s} side of neck`, `${s} neck`]);
          case 'behind ear': return `behind ${s} ear`;
          case 'throat': return r.pick(['throat', 'front of neck']);
          case 'fingers': return r.pick([`fingers of ${s} hand`, `${s} hand fingers`]);
          case 'forearm': return `${s} ${r.pick(['forearm', 'forearm', 'arm', 'lower arm'])}`;
          case 'upper arm': return `${s} ${r.pick(['upper arm', 'arm', 'bicep'])}`;
          case 'calf': return `${s} ${r.pick(['calf', 'leg', 'lower leg'])}`;
          case 'hand': return `${s} ${r.pick(['hand', 'back of hand', 'hand'])}`;
          default: return `${s} ${loc}`;
        }
      };
      const the = (x: string): string => x.replace(/^(under|behind) (eye|ear)$/, '$1 the $2');
      const at = the(sp(place(sw)));
      const atNoSide = the(sp(place('')));
      const plural = /s$/.test(motif) && motif !== 'dice';
      const aMotif = plural ? motif : article(motif);
      const region = loc === 'face' ? 'face' : loc === 'neck' || loc === 'throat' ? 'neck' : loc === 'hand' || loc === 'fingers' ? 'hand' : loc === 'calf' ? 'leg' : loc === 'behind ear' ? 'head' : 'arm';
      const templates = [
        () => `tattoo of ${aMotif} on ${at}`,
        () => `${motif} tattoo on ${at}`,
        () => `${at} tattoo (${motif})`,
        () => `${motif} tat ${at}`,
        () => `tattoo on ${at}, looks like ${aMotif}`,
        () => `${motif} tattoo - ${at}`,
        () => `tattoo on ${at}`, // motif lost
        () => `${motif} tattoo on ${atNoSide}`, // side lost
        () => `${region} tattoo${r.chance(0.5) ? 's' : ''}`, // vague
      ];
      const wts = quality >= 0.8 ? [4, 3, 2, 1.5, 1, 0.8, 1, 1, 0.6] : [2, 2, 1, 1, 1, 0.5, 2.5, 2, 2.5];
      return sp(new Weighted(templates.map((t, i) => [t, wts[i]!] as const)).sample(r)());
    }
    case 'scar-cheek': return sp(r.pick([`scar on ${sw} cheek`, `${sw} cheek scar`, 'facial scar', `noticeable scar on ${sw} side of face`, 'scar on face', `scar ${sw} cheek`]));
    case 'scar-eyebrow': return sp(r.pick([`scar through ${sw} eyebrow`, `slit in ${sw} eyebrow`, 'eyebrow scar', `cut in ${sw} eyebrow`, 'scar above eye']));
    case 'scar-chin': return r.pick(['scar on chin', 'chin scar', 'small scar on chin']);
    case 'nose-ring': return r.pick(['nose ring', 'nose piercing', 'pierced nose', 'nose stud', 'ring in nose']);
    case 'septum': return r.pick(['septum piercing', 'septum ring', 'ring through middle of nose', 'nose ring (septum)']);
    case 'eyebrow-piercing': return sp(r.pick([`${sw} eyebrow piercing`, 'eyebrow ring', `pierced ${sw} eyebrow`, 'eyebrow piercing']));
    case 'lip-ring': return r.pick(['lip ring', 'lip piercing', 'pierced lip', 'ring in bottom lip']);
    case 'gauges': return r.pick(['ear gauges', 'stretched earlobes', 'gauges in both ears', 'large ear plugs', 'gauged ears']);
    case 'gold-teeth': return r.pick(['gold teeth', 'gold grill', 'gold front tooth', 'wears a gold grill', 'gold caps on front teeth', 'gold tooth']);
    case 'missing-tooth': return r.pick(['missing front tooth', 'front tooth missing', 'gap in front teeth', 'missing tooth (front)', 'missing teeth']);
    case 'braces': return r.pick(['braces', 'wears braces', 'metal braces on teeth']);
    case 'shaved-head': return r.pick(['shaved head', 'bald', 'buzz cut', 'head shaved', 'bald head']);
    case 'bleached-hair': return r.pick(['bleached blond hair', 'dyed blond hair', 'platinum blond hair', 'bleached hair', 'blond tips']);
    case 'red-hair': return r.pick(['red hair', 'ginger hair', 'reddish hair', 'orange-red hair']);
    case 'ponytail': return r.pick(['long ponytail', 'hair in a ponytail', 'ponytail', 'long hair tied back']);
    case 'man-bun': return r.pick(['man bun', 'hair in a bun', 'top knot', 'hair tied up in bun']);
    case 'mullet': return r.pick(['mullet', 'mullet haircut', 'short front long back haircut']);
    case 'dyed-hair': return r.pick([`${f.motif} hair`, `${f.motif} dyed hair`, `hair dyed ${f.motif}`, `${f.motif} streaks in hair`]);
    case 'freckles': return r.pick(['freckles', 'freckled face', 'lots of freckles']);
    case 'mole': return sp(r.pick([`mole on ${sw} cheek`, `beauty mark ${sw} cheek`, `mole near ${sw} side of mouth`, 'mole on face']));
    case 'birthmark': return r.pick(['birthmark on neck', 'birth mark on neck', 'large birthmark on side of neck', 'mark on neck']);
    case 'glasses': return r.pick(['glasses', 'wears glasses', 'black-rimmed glasses', 'eyeglasses', 'thick frame glasses']);
    case 'beard': return r.pick(['full beard', 'thick beard', 'bushy beard', 'beard']);
    case 'goatee': return r.pick(['goatee', 'chin beard', 'goatee beard']);
    case 'mustache': return r.pick(['mustache', 'moustache', 'thin mustache']);
    case 'stubble': return r.pick(['stubble', 'unshaven', 'scruffy facial hair']);
    default: return f.kind;
  }
}

function newFeature(r: Rng, sex: 'M' | 'F'): Feature {
  if (r.chance(0.5)) {
    const locs = new Weighted(TATTOO_LOCS.map((l) => [l, l[3]] as const));
    const [loc, sided, salience] = locs.sample(r);
    const motif = loc === 'knuckles' ? r.pick(KNUCKLE_WORDS) : loc === 'face' && r.chance(0.5) ? r.pick(['teardrop', 'star', 'dots', 'script lettering']) : r.pick(TATTOO_MOTIFS);
    return { kind: 'tattoo', loc, motif, side: sided ? (r.chance(0.5) ? 'left' : 'right') : undefined, salience };
  }
  for (;;) {
    const [kind, salience] = new Weighted(OTHER_FEATURES.map((f) => [f, f[2]] as const)).sample(r);
    if (sex === 'F' && (kind === 'beard' || kind === 'goatee' || kind === 'mustache' || kind === 'man-bun' || kind === 'shaved-head')) continue;
    const side: Side | undefined = /scar-cheek|scar-eyebrow|eyebrow|mole/.test(kind) ? (r.chance(0.5) ? 'left' : 'right') : undefined;
    const motif = kind === 'dyed-hair' ? r.pick(['pink', 'blue', 'purple', 'green', 'red']) : undefined;
    return { kind, salience, side, motif };
  }
}

// =====================================================================================
// Clothing
// =====================================================================================

const CLOTH_COLOURS = new Weighted(counted('black 24,gray 10,grey 6,navy 6,white 8,red 6,blue 6,green 3,olive 3,tan 3,brown 2,maroon 2,orange 1.5,yellow 1.5,pink 2,purple 1.5,camo 2'));
const TOPS = ['hoodie', 'hoodie', 'zip-up hoodie', 'puffer jacket', 'windbreaker', 'denim jacket', 'leather jacket', 't-shirt', 't-shirt', 'tank top', 'flannel shirt', 'track jacket', 'sweatshirt', 'polo shirt', 'work shirt', 'Carhartt jacket', 'North Face jacket', 'hi-vis vest', 'long sleeve shirt', 'jersey'];
const BOTTOMS = ['jeans', 'blue jeans', 'joggers', 'sweatpants', 'cargo shorts', 'basketball shorts', 'leggings', 'khakis', 'work pants', 'cargo pants', 'ripped jeans', 'pajama pants'];
const HEADWEAR = ['baseball cap', 'baseball cap', 'beanie', 'bucket hat', 'trucker hat', 'hood up', 'visor', 'backwards cap'];
const SHOES = ['white Nike Air Force 1s', 'Jordans', 'slides', 'work boots', 'Crocs', 'running shoes', 'Timberland boots', 'Vans', 'flip flops', 'black sneakers', 'white sneakers'];
const BAGS = ['backpack', 'large tote bag', 'duffel bag', 'crossbody bag', 'large purse', 'reusable shopping bag', 'booster bag (foil lined)'];
const TEAMS = ['Cowboys', 'Texans', 'Astros', 'Spurs', 'Rockets', 'Lakers', 'Dodgers', 'Raiders', 'Bulls', 'Yankees', 'Heat', 'Falcons', 'Steelers', 'Lions', 'Broncos', '49ers', 'Warriors', 'Eagles'];

interface Wardrobe { tops: string[]; bottoms: string[]; heads: string[]; shoes: string[]; bags: string[] }

function colourWord(r: Rng): string {
  return CLOTH_COLOURS.sample(r);
}
function newTop(r: Rng): string {
  const t = r.pick(TOPS);
  if ((t === 'jersey' || t === 'hoodie') && r.chance(0.25)) return `${r.pick(TEAMS)} ${t}`;
  if (t === 'hi-vis vest') return r.pick(['hi-vis vest', 'yellow hi-vis vest', 'orange safety vest']);
  if (t.startsWith('Carhartt') || t.startsWith('North Face')) return r.chance(0.5) ? `${colourWord(r)} ${t}` : t;
  return `${colourWord(r)} ${t}`;
}
function newBottom(r: Rng): string {
  const b = r.pick(BOTTOMS);
  return b.includes('jeans') || r.chance(0.3) ? b : `${colourWord(r)} ${b}`;
}
function newHead(r: Rng): string {
  const h = r.pick(HEADWEAR);
  if (h === 'hood up') return h;
  if (h.includes('cap') && r.chance(0.2)) return `${r.pick(TEAMS)} cap`;
  return `${colourWord(r)} ${h}`;
}
function newWardrobe(r: Rng): Wardrobe {
  const n = (lo: number, hi: number, f: (r: Rng) => string): string[] => Array.from({ length: r.int(lo, hi) }, () => f(r));
  return {
    tops: n(2, 5, newTop), bottoms: n(1, 3, newBottom), heads: r.chance(0.7) ? n(1, 2, newHead) : [],
    shoes: n(1, 2, (x) => x.pick(SHOES)), bags: r.chance(0.45) ? n(1, 2, (x) => x.pick(BAGS)) : [],
  };
}
interface Outfit { top: string; bottom: string; head?: string; shoes: string; bag?: string; mask?: boolean }
function newOutfit(w: Wardrobe, r: Rng, robbery: boolean): Outfit {
  const fromW = (arr: string[], f: (r: Rng) => string): string => (arr.length && r.chance(0.78) ? r.pick(arr) : f(r));
  return {
    top: fromW(w.tops, newTop), bottom: fromW(w.bottoms, newBottom),
    head: w.heads.length && r.chance(0.6) ? r.pick(w.heads) : r.chance(0.15) ? newHead(r) : undefined,
    shoes: fromW(w.shoes, (x) => x.pick(SHOES)), bag: w.bags.length && r.chance(0.6) ? r.pick(w.bags) : undefined,
    mask: robbery ? r.chance(0.6) : r.chance(0.04),
  };
}
function renderOutfit(o: Outfit, r: Rng, detail: number): string | undefined {
  const parts: string[] = [];
  if (o.mask) parts.push(r.pick(['ski mask', 'face mask', 'black face covering', 'bandana over face']));
  if (r.chance(0.92)) parts.push(o.top);
  if (o.head && r.chance(0.6 * detail + 0.1)) parts.push(o.head);
  if (r.chance(0.55 * detail)) parts.push(o.bottom);
  if (r.chance(0.3 * detail)) parts.push(o.shoes);
  if (o.bag && r.chance(0.55)) parts.push(`carrying ${article(o.bag)}`);
  if (!parts.length) return undefined;
  let s = parts.join(r.chance(0.85) ? ', ' : ' / ');
  if (r.chance(0.05)) s = s.toUpperCase();
  else if (r.chance(0.1)) s = s.toLowerCase();
  return s;
}

// =====================================================================================
// Stores, products, event types
// =====================================================================================

type StoreKind = 'pharmacy' | 'supermarket' | 'fuel' | 'bigbox';
interface Store { id: string; kind: StoreKind; metro: number; x: number; y: number }

type Line = [string, number, number, number]; // name, unit value, qty min, qty max
const PRODUCTS: Record<string, { kinds: StoreKind[]; items: Line[] }> = {
  razors: { kinds: ['pharmacy', 'supermarket', 'bigbox'], items: [['Gillette Fusion5 ProGlide refills 8ct', 41.99, 2, 12], ['Gillette Mach3 refills 15ct', 39.99, 2, 10], ['Schick Hydro 5 refills 4ct', 17.49, 2, 8], ['Gillette Venus Swirl refills 6ct', 32.99, 2, 8], ['Harry\'s blade refills 8ct', 19.99, 2, 6]] },
  cosmetics: { kinds: ['pharmacy', 'bigbox'], items: [['Maybelline Lash Sensational mascara', 12.99, 3, 15], ['L\'Oreal Infallible foundation 1oz', 16.99, 2, 10], ['NYX Butter Gloss', 6.99, 3, 20], ['e.l.f. Camo concealer', 7.0, 3, 12], ['CoverGirl Clean Fresh foundation', 10.99, 2, 10], ['Revlon ColorStay eyeliner', 9.49, 3, 12], ['Olay Regenerist cream 1.7oz', 29.99, 1, 6]] },
  fragrance: { kinds: ['pharmacy', 'bigbox'], items: [['Calvin Klein Eternity EDP 3.4oz', 89.0, 1, 4], ['Coach Floral EDP 3oz', 92.0, 1, 3], ['Nautica Voyage EDT 3.4oz', 29.99, 1, 4], ['Curve for Men cologne 4.2oz', 35.0, 1, 3]] },
  otc: { kinds: ['pharmacy', 'supermarket'], items: [['Advil 200mg 200ct', 19.99, 2, 10], ['Tylenol Extra Strength 225ct', 21.99, 2, 8], ['Claritin 24hr 70ct', 58.99, 1, 6], ['Zyrtec 24hr 70ct', 54.99, 1, 6], ['Prilosec OTC 42ct', 27.99, 1, 6], ['Mucinex 12hr 40ct', 29.99, 1, 6], ['Flonase 144 sprays', 31.99, 1, 5], ['Nicorette gum 160ct', 67.99, 1, 5]] },
  oralcare: { kinds: ['pharmacy', 'bigbox'], items: [['Crest 3D Whitestrips Professional', 44.99, 1, 6], ['Oral-B iO Series 5 toothbrush', 149.99, 1, 3], ['Philips Sonicare 4100 toothbrush', 49.99, 1, 3], ['Oral-B brush heads 8ct', 39.99, 1, 5]] },
  baby: { kinds: ['pharmacy', 'supermarket', 'bigbox'], items: [['Similac Pro-Advance 30.8oz', 45.99, 2, 8], ['Enfamil NeuroPro 28.3oz', 48.99, 2, 8], ['Pampers Swaddlers 84ct', 29.99, 1, 4]] },
  hair: { kinds: ['pharmacy', 'bigbox'], items: [['Olaplex No.3 3.3oz', 30.0, 1, 6], ['CHI flat iron 1in', 89.99, 1, 2], ['Revlon One-Step volumizer', 39.99, 1, 3]] },
  batteries: { kinds: ['pharmacy', 'supermarket', 'fuel', 'bigbox'], items: [['Duracell AA 20pk', 21.99, 1, 8], ['Energizer AAA 24pk', 22.49, 1, 8]] },
  liquor: { kinds: ['supermarket'], items: [['Hennessy VS 750ml', 39.99, 1, 4], ['Patron Silver 750ml', 49.99, 1, 3], ['Crown Royal 1.75L', 54.99, 1, 2], ['Grey Goose 750ml', 34.99, 1, 3], ['Jameson 1L', 36.99, 1, 3], ['Don Julio Blanco 750ml', 54.99, 1, 3]] },
  meat: { kinds: ['supermarket'], items: [['Ribeye steaks 2pk', 24.99, 1, 6], ['Beef tenderloin 2lb', 39.99, 1, 3], ['Jumbo shrimp 2lb', 21.99, 1, 4], ['Salmon fillets 2lb', 22.99, 1, 3]] },
  laundry: { kinds: ['supermarket', 'bigbox'], items: [['Tide Pods 81ct', 25.99, 1, 6], ['Gain Flings 76ct', 22.99, 1, 4], ['Downy Unstopables 24oz', 14.99, 1, 4]] },
  grocery: { kinds: ['supermarket'], items: [['Starbucks ground coffee 28oz', 16.99, 1, 4], ['Tillamook cheddar 2lb', 11.99, 1, 3], ['Red Bull 12pk', 29.99, 1, 3], ['Modelo Especial 12pk', 18.99, 1, 3], ['Bud Light 30pk', 28.99, 1, 2], ['Assorted groceries', 8.49, 4, 20]] },
  fuel: { kinds: ['fuel'], items: [['Regular unleaded (gal)', 3.29, 6, 22], ['Premium unleaded (gal)', 4.09, 6, 18], ['Diesel (gal)', 3.79, 10, 30]] },
  tobacco: { kinds: ['fuel', 'supermarket'], items: [['Marlboro Red carton', 89.99, 1, 5], ['Newport Menthol carton', 95.49, 1, 5], ['Camel Blue carton', 84.99, 1, 4], ['Vuse Alto pods 2pk', 19.99, 2, 10], ['Zyn pouches 5pk', 27.49, 1, 6]] },
  lottery: { kinds: ['fuel'], items: [['Scratch-off tickets $20', 20.0, 5, 30], ['Scratch-off tickets $10', 10.0, 5, 40]] },
  snacks: { kinds: ['fuel', 'supermarket'], items: [['Monster Energy 4pk', 9.99, 1, 4], ['Takis 9.9oz', 4.99, 1, 6], ['Snickers share size', 2.79, 2, 10], ['Modelo Especial 12pk', 18.99, 1, 2]] },
  electronics: { kinds: ['bigbox'], items: [['Apple AirPods Pro 2', 249.0, 1, 3], ['PS5 DualSense controller', 69.99, 1, 3], ['Beats Studio Buds', 149.99, 1, 2], ['Nintendo Switch game', 59.99, 1, 4], ['Apple Watch SE', 249.0, 1, 2], ['Samsung 55in 4K TV', 449.99, 1, 1], ['iPad 10.9in', 349.0, 1, 2], ['JBL Flip 6 speaker', 129.99, 1, 2]] },
  tools: { kinds: ['bigbox'], items: [['DeWalt 20V drill/driver kit', 169.0, 1, 2], ['Milwaukee M18 impact driver', 199.0, 1, 2], ['Ryobi 18V battery 2pk', 99.0, 1, 3], ['DeWalt 20V 5Ah battery 2pk', 229.0, 1, 2]] },
  home: { kinds: ['bigbox'], items: [['Dyson V8 cordless vacuum', 399.99, 1, 1], ['Ninja air fryer', 129.99, 1, 1], ['KitchenAid stand mixer', 379.99, 1, 1], ['Keurig K-Classic', 109.99, 1, 1]] },
  toys: { kinds: ['bigbox'], items: [['LEGO Star Wars Millennium Falcon', 169.99, 1, 2], ['LEGO Technic set', 99.99, 1, 3], ['Barbie Dreamhouse', 199.0, 1, 1]] },
  apparel: { kinds: ['bigbox'], items: [["Levi's 501 jeans", 69.5, 1, 5], ['Nike Tech Fleece hoodie', 130.0, 1, 4], ['Carhartt jacket', 129.99, 1, 3]] },
};
const KIND_CATEGORIES: Record<StoreKind, string[]> = { pharmacy: [], supermarket: [], fuel: [], bigbox: [] };
for (const [cat, def] of Object.entries(PRODUCTS)) for (const k of def.kinds) KIND_CATEGORIES[k].push(cat);

function upc(name: string): string {
  let h = hash32(`upc:${name}`);
  let digits = '0';
  for (let i = 0; i < 10; i++) {
    digits += String(h % 10);
    h = Math.floor(h / 10) ^ Math.imul(hash32(name + i), 7);
    h >>>= 0;
  }
  let sum = 0;
  for (let i = 0; i < 11; i++) sum += Number(digits[i]) * (i % 2 === 0 ? 3 : 1);
  return digits + String((10 - (sum % 10)) % 10);
}

const TYPE_BY_KIND: Record<StoreKind, Weighted<string>> = {
  pharmacy: new Weighted(counted('shoplifting 60,refund-fraud 4,pos-fraud 4,robbery 2,threatening-behaviour 6,verbal-abuse 7,anti-social 4,trespass 3,suspicious 4,assault 1.5,damage 1,cash-theft 0.5,currency-fraud 0.5,theft-from-person 0.5,burglary 0.3,other 0.7')),
  supermarket: new Weighted(counted('shoplifting 55,pos-fraud 12,refund-fraud 4,verbal-abuse 6,threatening-behaviour 5,anti-social 5,trespass 3,suspicious 3,assault 1.5,damage 1,robbery 0.7,theft-from-person 1,currency-fraud 0.8,cash-theft 0.5,other 0.5')),
  fuel: new Weighted(counted('drive-off 45,shoplifting 18,robbery 4,verbal-abuse 6,threatening-behaviour 5,anti-social 5,currency-fraud 3,cash-theft 2,suspicious 3,damage 2,trespass 1.5,burglary 1,assault 1,other 1')),
  bigbox: new Weighted(counted('shoplifting 50,refund-fraud 12,pos-fraud 10,threatening-behaviour 4,verbal-abuse 4,suspicious 5,trespass 3,anti-social 3,damage 1.5,robbery 1,assault 1,currency-fraud 1,theft-from-person 1,burglary 0.5,other 1')),
};

type Specialty = 'opportunist' | 'booster' | 'driveoff' | 'refund' | 'selfcheckout' | 'disorder' | 'robber';
const SPECIALTIES = new Weighted<Specialty>([['opportunist', 36], ['booster', 20], ['driveoff', 10], ['refund', 7], ['selfcheckout', 8], ['disorder', 16], ['robber', 3]]);
const KIND_AFFINITY: Record<Specialty, Record<StoreKind, number>> = {
  opportunist: { pharmacy: 1, supermarket: 1, fuel: 0.6, bigbox: 1 },
  booster: { pharmacy: 1.4, supermarket: 0.6, fuel: 0.15, bigbox: 1.4 },
  driveoff: { pharmacy: 0.1, supermarket: 0.1, fuel: 4, bigbox: 0.1 },
  refund: { pharmacy: 0.8, supermarket: 0.5, fuel: 0.05, bigbox: 2.2 },
  selfcheckout: { pharmacy: 0.5, supermarket: 2.2, fuel: 0.05, bigbox: 1.2 },
  disorder: { pharmacy: 1, supermarket: 1, fuel: 1.2, bigbox: 0.8 },
  robber: { pharmacy: 1, supermarket: 0.5, fuel: 1.6, bigbox: 0.3 },
};
const DISORDER_TYPES = new Weighted(counted('verbal-abuse 3,threatening-behaviour 2.5,anti-social 3,damage 1,assault 0.8,suspicious 0.5'));

// Identification of a person in one report, by event type:
// P(an ID, a police officer or a refund form puts a name on them here).
const P_ID: Record<string, number> = {
  shoplifting: 0.05, 'cash-theft': 0.1, 'refund-fraud': 0.75, 'pos-fraud': 0.15, 'currency-fraud': 0.35, 'drive-off': 0.03,
  'theft-from-person': 0.1, robbery: 0.08, burglary: 0.05, assault: 0.3, 'threatening-behaviour': 0.12, 'verbal-abuse': 0.06,
  'anti-social': 0.06, trespass: 0.5, damage: 0.2, suspicious: 0.02, other: 0.1,
};
const P_PREVENTED: Record<string, number> = {
  shoplifting: 0.3, 'refund-fraud': 0.5, 'pos-fraud': 0.35, 'drive-off': 0.04, robbery: 0.1, 'currency-fraud': 0.6, burglary: 0.1, 'cash-theft': 0.2, 'theft-from-person': 0.15,
};
const P_VEHICLE: Record<string, number> = {
  'drive-off': 0.97, robbery: 0.45, burglary: 0.5, shoplifting: 0.2, 'refund-fraud': 0.15, 'pos-fraud': 0.08, 'currency-fraud': 0.15,
  'cash-theft': 0.2, 'theft-from-person': 0.1, assault: 0.08, 'threatening-behaviour': 0.08, 'verbal-abuse': 0.05, 'anti-social': 0.08,
  trespass: 0.08, damage: 0.15, suspicious: 0.3, other: 0.1,
};
const P_POLICE: Record<string, number> = {
  robbery: 0.9, assault: 0.75, burglary: 0.9, 'theft-from-person': 0.5, 'threatening-behaviour': 0.3, damage: 0.35, 'drive-off': 0.25,
  'currency-fraud': 0.4, trespass: 0.35, shoplifting: 0.12, 'refund-fraud': 0.15, 'cash-theft': 0.3,
};

// =====================================================================================
// People
// =====================================================================================

type Pool = 'us' | 'hisp' | 'viet';
type Build = 'slim' | 'medium' | 'heavy';
interface Vehicle { plate: string; make: string; model: string; body: string; colour: string; rental: boolean }
interface Identity { given: string; family: string; dob?: string }

interface Person {
  idx: number;
  id: string;
  sex: 'M' | 'F';
  pool: Pool;
  given: string;
  middle?: string;
  family: string;
  family2?: string;
  hyphen: boolean;
  suffix?: string;
  nick?: string; // goes by
  street: string[];
  fakes: Identity[];
  dob: string;
  heightCm: number;
  build: Build;
  phones: { num: string; from: number }[];
  household: number;
  features: Feature[];
  transient: Feature[];
  wardrobe: Wardrobe;
  vehicles: Vehicle[]; // own
  metro: number;
  x: number;
  y: number;
  rangeKm: number;
  specialty: Specialty;
  cats: string[];
  hourPref: number;
  assoc: number[];
  crew?: number;
  // rendering state
  knownStores: Set<number>;
  knownMetros: Set<number>;
  lastName?: Record<string, unknown>;
  lastDob?: string;
  storeW?: Weighted<number>;
  outfits: Map<number, Outfit>;
}

interface Household { members: number[]; vehicles: Vehicle[]; phone?: string; metro: number; x: number; y: number }

// =====================================================================================
// Regime configuration
// =====================================================================================

interface Cfg {
  name: string;
  description: string;
  people: number;
  events: number;
  metros: Metro[];
  stores: number;
  kindMix: [StoreKind, number][];
  pools: [Pool, number][]; // founders' community
  householdSizes: number[]; // P(size = i+1)
  doubleSurnameP: number; // among hisp
  vehicleOwnP: number;
  outOfStateP: number;
  countDist: [number, number, number][]; // [lo, hi, weight] incidents led by a person
  companionP: number;
  rangeKm: number; // median home range
  minorP: number;
  crews?: { count: number; sprees: [number, number]; stores: [number, number]; rangeKm: number; travelP: number };
  obs: {
    id: number; // multiplier on P_ID
    recog: number; // staff recognition of a known person
    told: number; // unknown person still named (said it, overheard, loyalty card)
    dob: number;
    phone: number;
    vehicle: number;
    desc: number; // descriptive detail
    typo: number;
    ageRange: number;
    height: number;
  };
}

const WINDOW_START = Date.UTC(2025, 0, 1);
const WINDOW_END = Date.UTC(2026, 9, 31, 23, 0);
const DAY = 86400000;

function subMetro(base: Metro, name: string, dx: number, dy: number, weight: number, npas?: string[]): Metro {
  return { ...base, name, x: base.x + dx, y: base.y + dy, weight, npas: npas ?? base.npas, spread: 6 };
}
const HOUSTON = ALL_METROS[0]!;
const LA = ALL_METROS.find((m) => m.name === 'Los Angeles')!;
const ATL = ALL_METROS.find((m) => m.name === 'Atlanta')!;

function config(regime: string): Cfg {
  switch (regime) {
    case 'few-surnames':
      return {
        name: 'few-surnames',
        description: 'Small pharmacy/grocery chain (14 stores) in southwest Houston (Alief, Sharpstown, Gulfton, Pasadena): ~200 people, ~500 events. '
          + 'Community surnames are concentrated (Garcia, Hernandez, Martinez, Nguyen, Tran …; top 10 cover about half), given names too; '
          + 'households share surnames, phones and cars; Jr./Sr. namesakes; double surnames reported partly.',
        people: 200, events: 500,
        metros: [subMetro(HOUSTON, 'Alief', -18, -4, 3), subMetro(HOUSTON, 'Sharpstown', -10, -6, 2), subMetro(HOUSTON, 'Gulfton', -6, -2, 2), subMetro(HOUSTON, 'Pasadena', 20, -8, 2)],
        stores: 14, kindMix: [['pharmacy', 8], ['supermarket', 4], ['fuel', 2]],
        pools: [['hisp', 0.72], ['viet', 0.2], ['us', 0.08]],
        householdSizes: [0.4, 0.3, 0.18, 0.08, 0.04], doubleSurnameP: 0.22, vehicleOwnP: 0.55, outOfStateP: 0.03,
        countDist: [[1, 1, 40], [2, 2, 20], [3, 3, 12], [4, 7, 18], [8, 20, 10]], companionP: 0.22, rangeKm: 4, minorP: 0.02,
        obs: { id: 1.3, recog: 1.2, told: 0.55, dob: 1.2, phone: 1.3, vehicle: 1, desc: 0.9, typo: 1, ageRange: 0.8, height: 0.8 },
      };
    case 'large-chain':
      return {
        name: 'large-chain',
        description: 'National chain (~500 pharmacies, supermarkets, fuel stations and big-box stores in 29 metros): 21,000 people, ~54,000 events. '
          + 'US Census-like surname frequencies with a long tail, SSA-like given names; most people seen once, a few prolific offenders; '
          + 'a handful of travelling crews.',
        people: 21000, events: 54000,
        metros: ALL_METROS,
        stores: 500, kindMix: [['pharmacy', 40], ['supermarket', 25], ['fuel', 20], ['bigbox', 15]],
        pools: [['us', 1]],
        householdSizes: [0.82, 0.13, 0.05], doubleSurnameP: 0.08, vehicleOwnP: 0.5, outOfStateP: 0.04,
        countDist: [[1, 1, 64], [2, 2, 14], [3, 3, 6], [4, 9, 10], [10, 30, 4.5], [31, 150, 1.5]], companionP: 0.14, rangeKm: 6, minorP: 0.03,
        crews: { count: 60, sprees: [3, 12], stores: [2, 4], rangeKm: 40, travelP: 0.1 },
        obs: { id: 1, recog: 1, told: 0.18, dob: 1, phone: 1, vehicle: 1, desc: 1, typo: 1, ageRange: 1, height: 1 },
      };
    case 'sparse':
      return {
        name: 'sparse',
        description: 'Metro Atlanta chain (60 stores, fuel-heavy): ~900 people, ~2,400 events. Most reports carry no name; DOB and phone rarely; '
          + 'people are described by features, clothing, estimated age and height, build and often only a (misread) plate.',
        people: 900, events: 2400,
        metros: [ATL, subMetro(ATL, 'Marietta', -25, 25, 1.5), subMetro(ATL, 'Decatur', 12, 2, 1.2), subMetro(ATL, 'Jonesboro', 5, -25, 1)],
        stores: 60, kindMix: [['fuel', 28], ['pharmacy', 18], ['supermarket', 8], ['bigbox', 6]],
        pools: [['us', 1]],
        householdSizes: [0.8, 0.15, 0.05], doubleSurnameP: 0.05, vehicleOwnP: 0.7, outOfStateP: 0.12,
        countDist: [[1, 1, 45], [2, 2, 20], [3, 3, 10], [4, 8, 17], [9, 25, 8]], companionP: 0.15, rangeKm: 7, minorP: 0.02,
        obs: { id: 0.5, recog: 0.55, told: 0.12, dob: 0.8, phone: 0.9, vehicle: 2.2, desc: 1.25, typo: 1.2, ageRange: 1.25, height: 1.3 },
      };
    case 'organised-groups':
      return {
        name: 'organised-groups',
        description: 'Southern California chain (80 stores): 40 crews of 2-5 boosters who hit several stores a day together, with rotating '
          + 'members, crew-mates switching crews, borrowed and rental cars, fake names; plus ~600 local solo offenders.',
        people: 800, events: 2600,
        metros: [LA, subMetro(LA, 'Inland Empire', 90, 10, 2, ['909', '951']), subMetro(LA, 'Orange County', 45, -45, 2, ['714', '949']), subMetro(LA, 'San Fernando Valley', -25, 25, 1.5, ['818', '747'])],
        stores: 80, kindMix: [['pharmacy', 35], ['bigbox', 20], ['supermarket', 18], ['fuel', 7]],
        pools: [['us', 1]],
        householdSizes: [0.8, 0.15, 0.05], doubleSurnameP: 0.1, vehicleOwnP: 0.5, outOfStateP: 0.06,
        countDist: [[1, 1, 58], [2, 2, 18], [3, 3, 8], [4, 9, 12], [10, 25, 4]], companionP: 0.12, rangeKm: 6, minorP: 0.02,
        crews: { count: 40, sprees: [5, 22], stores: [2, 5], rangeKm: 60, travelP: 0 },
        obs: { id: 0.9, recog: 0.9, told: 0.15, dob: 1, phone: 0.9, vehicle: 1.2, desc: 1, typo: 1, ageRange: 1, height: 1 },
      };
    default:
      throw new Error(`unknown regime "${regime}" (known: ${REGIMES.join(', ')})`);
  }
}

// =====================================================================================
// Builders
// =====================================================================================

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}
function isoDate(y: number, m: number, d: number): string {
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
}
function daysIn(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}
function validDate(y: number, m: number, d: number): boolean {
  return y >= 1940 && y <= 2012 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m);
}
function ageAt(dob: string, t: number): number {
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const at = new Date(t);
  let a = at.getUTCFullYear() - y;
  if (at.getUTCMonth() + 1 < m || (at.getUTCMonth() + 1 === m && at.getUTCDate() < d)) a--;
  return a;
}

const AGE_BANDS = new Weighted<[number, number]>([[[18, 24], 22], [[25, 34], 32], [[35, 44], 24], [[45, 54], 12], [[55, 72], 7]]);

function dobForAge(age: number, r: Rng): string {
  const y = 2025 - age - (r.chance(0.5) ? 1 : 0);
  const m = r.int(1, 12);
  return isoDate(y, m, r.int(1, daysIn(y, m)));
}

function newPhone(metro: Metro, r: Rng): string {
  return `+1${r.pick(metro.npas)}${r.int(2, 9)}${pad(r.int(0, 99), 2)}${pad(r.int(0, 9999), 4)}`;
}

function newVehicle(metro: Metro, cfg: Cfg, r: Rng, rental = false): Vehicle {
  const [make, model, body] = (rental ? RENTAL_VEHICLES : VEHICLES).sample(r);
  let state = metro.state;
  if (rental ? r.chance(0.35) : r.chance(cfg.outOfStateP)) state = r.pick(Object.keys(PLATE_FORMATS));
  return { plate: makePlate(state, r).display, make, model, body, colour: (rental ? RENTAL_COLOURS : COLOURS).sample(r), rental };
}

class World {
  readonly r: Rng;
  readonly stores: Store[] = [];
  readonly people: Person[] = [];
  readonly households: Household[] = [];
  readonly byMetro: number[][] = [];
  readonly storesByMetro: number[][] = [];
  readonly usSurnames = new UsSurnames();
  constructor(readonly cfg: Cfg, seed: number) {
    this.r = new Rng(`us-pharmacy/${cfg.name}/${seed}`);
  }

  buildStores(): void {
    const r = this.r.fork('stores');
    const metroW = new Weighted(this.cfg.metros.map((m, i) => [i, m.weight] as const));
    const kindW = new Weighted(this.cfg.kindMix);
    const numbers = new Set<number>();
    this.cfg.metros.forEach(() => this.storesByMetro.push([]));
    // each metro gets at least one store, the rest by weight
    for (let i = 0; i < this.cfg.stores; i++) {
      const metro = i < this.cfg.metros.length ? i : metroW.sample(r);
      const m = this.cfg.metros[metro]!;
      let num = 0;
      do num = r.int(1, Math.max(999, this.cfg.stores * 8)); while (numbers.has(num));
      numbers.add(num);
      const kind = i < this.cfg.kindMix.length ? this.cfg.kindMix[i]![0] : kindW.sample(r);
      this.stores.push({ id: `st-${pad(num, 4)}`, kind, metro, x: m.x + r.normal(0, m.spread), y: m.y + r.normal(0, m.spread) });
      this.storesByMetro[metro]!.push(i);
    }
  }

  private familyFor(pool: Pool, r: Rng): string {
    if (pool === 'hisp') return HISP_SURNAMES.sample(r);
    if (pool === 'viet') return VIET_SURNAMES.sample(r);
    return this.usSurnames.sample(r);
  }

  private newPerson(household: Household, pool: Pool, sex: 'M' | 'F', age: number, family: string, family2: string | undefined, r: Rng): Person {
    const cfg = this.cfg;
    const metro = cfg.metros[household.metro]!;
    let given: string;
    let middle: string | undefined;
    let nick: string | undefined;
    let givenPool: Pool = pool;
    if (pool === 'us') {
      if (HISP_SURNAME_SET.has(family) && r.chance(0.55)) givenPool = 'hisp';
      if (VIET_SURNAME_SET.has(family) && r.chance(0.5)) givenPool = 'viet';
    }
    if (givenPool === 'hisp') {
      given = (sex === 'M' ? HISP_MALE : HISP_FEMALE).sample(r);
      const comp = (sex === 'M' ? HISP_COMPOUND_M : HISP_COMPOUND_F)[given];
      if (comp && r.chance(sex === 'M' ? 0.3 : 0.45)) middle = r.pick(comp);
      else if (r.chance(0.15)) middle = (sex === 'M' ? HISP_MALE : HISP_FEMALE).sample(r);
      if (middle === given) middle = undefined;
    } else if (givenPool === 'viet') {
      if (age < 40 && r.chance(0.4)) {
        // US-born / adopted English given name, Vietnamese middle
        given = r.pick(sex === 'M' ? VIET_EN_M : VIET_EN_F);
        middle = (sex === 'M' ? VIET_MALE : VIET_FEMALE).sample(r);
      } else {
        given = (sex === 'M' ? VIET_MALE : VIET_FEMALE).sample(r);
        middle = r.pick(sex === 'M' ? VIET_MIDDLE_M : VIET_MIDDLE_F);
        if (r.chance(0.35)) nick = r.pick(sex === 'M' ? VIET_EN_M : VIET_EN_F);
      }
    } else {
      given = (sex === 'M' ? US_MALE : US_FEMALE).sample(r);
      if (r.chance(0.6)) middle = r.pick(sex === 'M' ? US_MIDDLE_M : US_MIDDLE_F);
      if (middle === given) middle = undefined;
    }
    const nicks = NICKNAMES[given];
    if (!nick && nicks && r.chance(0.55)) nick = r.pick(nicks);
    const dob = dobForAge(age, r);
    const h = sex === 'M' ? r.normal(176, 7.3) : r.normal(162.5, 6.8);
    const build = new Weighted<Build>([['slim', 33], ['medium', 42], ['heavy', 25]]).sample(r);
    const phones: { num: string; from: number }[] = [];
    if (r.chance(0.93)) {
      phones.push({ num: newPhone(metro, r), from: 0 });
      if (r.chance(0.25)) phones.push({ num: newPhone(metro, r), from: WINDOW_START + r.next() * (WINDOW_END - WINDOW_START) });
    }
    const features: Feature[] = [];
    const nf = new Weighted([[0, 35], [1, 35], [2, 20], [3, 10]] as const).sample(r);
    while (features.length < nf) {
      const f = newFeature(r, sex);
      if (!features.some((g) => g.kind === f.kind && g.loc === f.loc)) features.push(f);
    }
    const transient: Feature[] = [];
    if (r.chance(0.3)) transient.push({ kind: r.pick(TRANSIENT_FEATURES.filter((k) => sex === 'M' || k === 'glasses')), salience: 0.35 });
    const person: Person = {
      idx: this.people.length, id: '', sex, pool, given, middle, family, family2, hyphen: r.chance(0.55), nick, street: [], fakes: [],
      dob, heightCm: Math.round(h), build, phones, household: this.households.length - 1, features, transient, wardrobe: newWardrobe(r),
      vehicles: [], metro: household.metro, x: household.x + r.normal(0, 1), y: household.y + r.normal(0, 1),
      rangeKm: cfg.rangeKm * Math.exp(r.normal(0, 0.6)), specialty: SPECIALTIES.sample(r), cats: [], hourPref: r.pick([10, 13, 15, 17, 19, 21, 23]),
      assoc: [], knownStores: new Set(), knownMetros: new Set(), outfits: new Map(),
    };
    if (r.chance(0.12)) person.street.push(r.pick(STREET_NAMES));
    if (person.specialty === 'refund' && r.chance(0.15)) person.fakes.push(this.fakeIdentity(person, r));
    return person;
  }

  fakeIdentity(p: Person, r: Rng): Identity {
    const us = r.chance(0.7);
    const given = us ? (p.sex === 'M' ? US_MALE : US_FEMALE).sample(r) : (p.sex === 'M' ? HISP_MALE : HISP_FEMALE).sample(r);
    const family = r.chance(0.2) ? p.family : this.usSurnames.sample(r);
    const dob = r.chance(0.6) ? dobForAge(Math.max(18, ageAt(p.dob, WINDOW_START) + r.int(-4, 4)), r) : undefined;
    return { given, family, dob };
  }

  buildPeople(nPeople: number, r: Rng, crewMember = false): number[] {
    const cfg = this.cfg;
    const poolW = new Weighted(cfg.pools);
    const sizeW = new Weighted(cfg.householdSizes.map((p, i) => [i + 1, p] as const));
    const metroW = new Weighted(cfg.metros.map((m, i) => [i, m.weight] as const));
    const created: number[] = [];
    while (created.length < nPeople) {
      const metroIdx = metroW.sample(r);
      const metro = cfg.metros[metroIdx]!;
      const hh: Household = { members: [], vehicles: [], metro: metroIdx, x: metro.x + r.normal(0, metro.spread), y: metro.y + r.normal(0, metro.spread) };
      this.households.push(hh);
      const size = crewMember ? (r.chance(0.85) ? 1 : 2) : Math.min(sizeW.sample(r), nPeople - created.length);
      const pool = poolW.sample(r);
      const founderSex: 'M' | 'F' = r.chance(0.6) ? 'M' : 'F';
      const founderAge = r.chance(cfg.minorP) ? r.int(15, 17) : r.int(...AGE_BANDS.sample(r));
      const fam1 = this.familyFor(pool, r);
      const fam2 = (pool === 'hisp' || HISP_SURNAME_SET.has(fam1)) && r.chance(cfg.doubleSurnameP) ? this.familyFor(pool === 'us' ? 'hisp' : pool, r) : undefined;
      const members: Person[] = [];
      const founder = this.newPerson(hh, pool, founderSex, Math.max(15, founderAge), fam1, fam2 === fam1 ? undefined : fam2, r);
      members.push(founder);
      for (let k = 1; k < size; k++) {
        const rel = r.pick(['sibling', 'sibling', 'spouse', 'child', 'parent', 'cousin']);
        const sex: 'M' | 'F' = r.chance(0.55) ? 'M' : 'F';
        const fAge = ageAt(founder.dob, WINDOW_START);
        let age = fAge;
        let fam = founder.family;
        let f2 = founder.family2;
        if (rel === 'sibling' || rel === 'cousin') age = fAge + r.int(-8, 8);
        else if (rel === 'spouse') {
          age = fAge + r.int(-6, 6);
          const keeps = pool === 'hisp' ? 0.6 : pool === 'viet' ? 0.85 : 0.3;
          if (r.chance(keeps)) { fam = this.familyFor(pool, r); f2 = undefined; }
          else if (pool === 'us' && r.chance(0.12)) { f2 = fam; fam = this.familyFor(pool, r); } // Smith-Jones: maiden + married
        } else if (rel === 'child') {
          age = fAge - r.int(18, 32);
          if (pool === 'hisp' && r.chance(0.35)) f2 = this.familyFor(pool, r);
        } else age = fAge + r.int(18, 30);
        if (age < 18) age = r.chance(cfg.minorP * 4) ? r.int(15, 17) : r.int(18, 22);
        if (age > 75) age = 70;
        const p = this.newPerson(hh, pool, sex, age, fam, f2 === fam ? undefined : f2, r);
        if (rel === 'spouse' && pool === 'us' && p.family2) p.hyphen = true;
        if (rel === 'child' && sex === 'M' && founderSex === 'M' && r.chance(0.15)) {
          p.given = founder.given;
          p.middle = founder.middle;
          p.nick = founder.nick;
          p.suffix = 'Jr';
          founder.suffix = r.chance(0.5) ? 'Sr' : undefined;
        }
        members.push(p);
      }
      // shared phone, shared cars
      if (members.length > 1 && r.chance(0.3)) hh.phone = newPhone(metro, r);
      const nCars = r.chance(cfg.vehicleOwnP) ? (r.chance(0.25) ? 2 : 1) : 0;
      for (let c = 0; c < nCars + (members.length > 2 && r.chance(0.3) ? 1 : 0); c++) hh.vehicles.push(newVehicle(metro, cfg, r));
      for (const p of members) {
        p.idx = this.people.length;
        p.household = this.households.length - 1;
        p.vehicles = hh.vehicles;
        this.people.push(p);
        hh.members.push(p.idx);
        created.push(p.idx);
        this.pickCategories(p, r);
      }
    }
    return created;
  }

  pickCategories(p: Person, r: Rng): void {
    const kinds = (Object.keys(KIND_AFFINITY[p.specialty]) as StoreKind[]).filter((k) => KIND_AFFINITY[p.specialty][k] >= 1);
    const n = r.int(1, 3);
    for (let i = 0; i < n; i++) {
      const cat = r.pick(KIND_CATEGORIES[r.pick(kinds.length ? kinds : (['pharmacy'] as StoreKind[]))]);
      if (!p.cats.includes(cat)) p.cats.push(cat);
    }
  }

  linkAssociates(r: Rng): void {
    for (let m = 0; m < this.cfg.metros.length; m++) this.byMetro.push([]);
    for (const p of this.people) if (p.crew === undefined) this.byMetro[p.metro]!.push(p.idx);
    for (const p of this.people) {
      const hh = this.households[p.household]!;
      for (const o of hh.members) if (o !== p.idx) p.assoc.push(o);
      const local = this.byMetro[p.metro]!;
      const nFriends = r.pick([0, 0, 1, 1, 2, 3]);
      for (let i = 0; i < nFriends && local.length > 1; i++) {
        // a friend lives nearby: best of a few random locals
        let best = -1;
        let bestD = Infinity;
        for (let k = 0; k < 6; k++) {
          const o = r.pick(local);
          if (o === p.idx) continue;
          const q = this.people[o]!;
          const d = Math.hypot(q.x - p.x, q.y - p.y);
          if (d < bestD) { bestD = d; best = o; }
        }
        if (best >= 0 && !p.assoc.includes(best)) {
          p.assoc.push(best);
          this.people[best]!.assoc.push(p.idx);
        }
      }
    }
  }

  storeWeights(p: Person, range: number, fallbackAll = false): Weighted<number> {
    if (p.storeW && !fallbackAll) return p.storeW;
    const aff = KIND_AFFINITY[p.specialty];
    const pairs: [number, number][] = [];
    const candidates = fallbackAll || this.stores.length <= 200 ? this.stores.map((_, i) => i) : this.storesByMetro[p.metro]!;
    for (const i of candidates) {
      const s = this.stores[i]!;
      const d = Math.hypot(s.x - p.x, s.y - p.y);
      pairs.push([i, Math.exp(-d / range) * aff[s.kind] + 1e-6]);
    }
    const w = new Weighted(pairs);
    if (!fallbackAll) p.storeW = w;
    return w;
  }
}

// =====================================================================================
// Incidents
// =====================================================================================

interface Incident {
  seq: number;
  time: number; // local wall-clock time of the store, as if UTC
  utc?: number;
  store: number;
  people: number[]; // first = lead
  type: string;
  vehicle?: Vehicle;
  crew?: number;
  spree?: number;
}

function sampleCount(cfg: Cfg, r: Rng): number {
  const w = new Weighted(cfg.countDist.map((c) => [c, c[2]] as const));
  const [lo, hi] = w.sample(r);
  if (hi <= lo) return lo;
  // within a band, skew towards the low end
  return lo + Math.floor(Math.pow(r.next(), 2) * (hi - lo + 1));
}

function fitTotal(counts: number[], target: number, r: Rng): void {
  let total = counts.reduce((a, b) => a + b, 0);
  let guard = 0;
  while (total < target && guard++ < 10 * target) {
    const i = r.int(0, counts.length - 1);
    if (counts[i]! > 1 || r.chance(0.15)) { counts[i]!++; total++; }
  }
  while (total > target && guard++ < 20 * target) {
    const i = r.int(0, counts.length - 1);
    if (counts[i]! > 1) { counts[i]!--; total--; }
  }
}

const STORE_HOURS: Record<StoreKind, [number, number]> = { pharmacy: [8, 22], supermarket: [6, 23], fuel: [0, 24], bigbox: [7, 23] };

function timeOfDay(day: number, hourPref: number, kind: StoreKind, r: Rng): number {
  const [open, close] = STORE_HOURS[kind];
  let h = r.normal(hourPref, 2.6);
  if (kind === 'fuel') h = ((h % 24) + 24) % 24;
  else h = Math.min(close - 0.2, Math.max(open + 0.1, h));
  return day + Math.floor(h * 60) * 60000;
}

function pickType(p: Person, kind: StoreKind, prior: number, r: Rng): string {
  let t: string;
  if (r.chance(0.22)) t = TYPE_BY_KIND[kind].sample(r);
  else {
    switch (p.specialty) {
      case 'opportunist': t = r.chance(0.85) ? 'shoplifting' : TYPE_BY_KIND[kind].sample(r); break;
      case 'booster': t = 'shoplifting'; break;
      case 'driveoff': t = kind === 'fuel' ? (r.chance(0.85) ? 'drive-off' : 'shoplifting') : 'shoplifting'; break;
      case 'refund': t = kind === 'fuel' ? 'currency-fraud' : r.chance(0.8) ? 'refund-fraud' : 'pos-fraud'; break;
      case 'selfcheckout': t = kind === 'fuel' ? 'shoplifting' : r.chance(0.75) ? 'pos-fraud' : 'shoplifting'; break;
      case 'disorder': t = prior >= 2 && r.chance(0.2) ? 'trespass' : DISORDER_TYPES.sample(r); break;
      case 'robber': t = r.chance(0.5) ? 'robbery' : r.chance(0.5) ? 'shoplifting' : 'threatening-behaviour'; break;
    }
  }
  if (t === 'drive-off' && kind !== 'fuel') t = 'shoplifting';
  if (t === 'trespass' && prior < 1) t = 'anti-social';
  if (t === 'drive-off' && !p.vehicles.length) t = 'shoplifting';
  return t;
}

function soloIncidents(w: World, idxs: number[], target: number, r: Rng, out: Incident[]): void {
  const cfg = w.cfg;
  const counts = idxs.map(() => sampleCount(cfg, r));
  fitTotal(counts, target, r);
  const span = WINDOW_END - WINDOW_START;
  idxs.forEach((pi, k) => {
    const p = w.people[pi]!;
    const n = counts[k]!;
    // active window: prolific people are active longer
    const len = Math.min(span, n <= 1 ? span : n * DAY * (8 + r.next() * 45));
    const start = WINDOW_START + r.next() * (span - len);
    const days: number[] = [];
    for (let i = 0; i < n; i++) {
      if (days.length && r.chance(0.25)) days.push(days[r.int(0, days.length - 1)]! + r.int(0, 3) * DAY);
      else days.push(start + r.next() * len);
    }
    days.sort((a, b) => a - b);
    const travelling = r.chance(0.04);
    for (let i = 0; i < n; i++) {
      const day = Math.min(WINDOW_END - DAY, Math.floor(days[i]! / DAY) * DAY);
      const sw = travelling && r.chance(0.3) ? w.storeWeights(p, p.rangeKm * 20, true) : w.storeWeights(p, p.rangeKm);
      const store = sw.sample(r);
      const kind = w.stores[store]!.kind;
      const type = pickType(p, kind, i, r);
      const people = [pi];
      if (p.assoc.length && r.chance(cfg.companionP * (type === 'shoplifting' || type === 'anti-social' ? 1.3 : 0.7))) {
        const m = r.chance(0.8) ? 1 : 2;
        for (let j = 0; j < m; j++) {
          const c = r.pick(p.assoc);
          if (!people.includes(c)) people.push(c);
        }
      }
      let vehicle: Vehicle | undefined;
      const cars = people.flatMap((q) => w.people[q]!.vehicles);
      if (cars.length && r.chance(Math.min(0.98, P_VEHICLE[type]! * cfg.obs.vehicle))) vehicle = r.pick(cars);
      out.push({ seq: out.length, time: timeOfDay(day, p.hourPref, kind, r), store, people, type, vehicle });
    }
  });
}

interface Crew { id: number; roster: { p: number; from: number; to: number; attend: number }[]; home: number; borrowed: Vehicle[] }

function crewIncidents(w: World, r: Rng, out: Incident[]): void {
  const cc = w.cfg.crews;
  if (!cc) return;
  const cfg = w.cfg;
  const crews: Crew[] = [];
  const span = WINDOW_END - WINDOW_START;
  for (let c = 0; c < cc.count; c++) {
    const size = r.int(2, 5);
    const members = w.buildPeople(size + r.int(0, 2), r, true);
    const first = w.people[members[0]!]!;
    const start = WINDOW_START + r.next() * span * 0.6;
    const end = Math.min(WINDOW_END - DAY, start + (60 + r.next() * 420) * DAY);
    const crew: Crew = { id: c, roster: [], home: first.metro, borrowed: [] };
    members.forEach((m, i) => {
      const p = w.people[m]!;
      p.crew = c;
      p.specialty = 'booster';
      p.cats = [];
      w.pickCategories(p, r);
      p.hourPref = r.pick([11, 13, 15, 17]);
      p.rangeKm = cc.rangeKm;
      if (r.chance(0.55)) p.street.push(r.pick(STREET_NAMES));
      const nf = r.chance(0.6) ? r.int(1, 3) : 0;
      for (let k = 0; k < nf; k++) p.fakes.push(w.fakeIdentity(p, r));
      if (p.phones.length && r.chance(0.4)) p.phones.push({ num: newPhone(cfg.metros[p.metro]!, r), from: start + r.next() * (end - start) });
      const core = i < size ? i < 2 || r.chance(0.5) : false;
      const from = core ? start : start + r.next() * (end - start) * 0.7;
      const to = core ? end : Math.min(end, from + (20 + r.next() * 200) * DAY);
      crew.roster.push({ p: m, from, to, attend: core ? 0.85 : 0.4 });
    });
    // borrowed cars: partners' and relatives' cars, registered to people never reported
    const nb = r.int(0, 2);
    for (let k = 0; k < nb; k++) crew.borrowed.push(newVehicle(cfg.metros[crew.home]!, cfg, r));
    crews.push(crew);
  }
  // rotation: some members move to another crew mid-way
  for (const crew of crews) {
    for (const slot of [...crew.roster]) {
      if (crews.length > 1 && r.chance(0.15)) {
        const other = crews[(crew.id + r.int(1, crews.length - 1)) % crews.length]!;
        const at = slot.from + r.next() * (slot.to - slot.from);
        const otherEnd = Math.max(...other.roster.map((s) => s.to));
        if (at < otherEnd) {
          other.roster.push({ p: slot.p, from: at, to: otherEnd, attend: 0.6 });
          slot.to = at;
        }
      }
    }
  }
  for (const crew of crews) {
    const start = Math.min(...crew.roster.map((s) => s.from));
    const end = Math.max(...crew.roster.map((s) => s.to));
    const nSprees = r.int(...cc.sprees);
    let rental: { v: Vehicle; until: number } | undefined;
    const times: number[] = [];
    const spreeDays = new Set<number>();
    for (let s = 0; s < nSprees * 3 && times.length < nSprees; s++) {
      const t = start + r.next() * Math.max(DAY, end - start);
      if (spreeDays.has(Math.floor(t / DAY))) continue;
      spreeDays.add(Math.floor(t / DAY));
      times.push(t);
    }
    times.sort((a, b) => a - b);
    for (const t0 of times) {
      const active = crew.roster.filter((s) => s.from <= t0 && s.to >= t0);
      if (active.length < 1) continue;
      let attendees = active.filter((s) => r.chance(s.attend)).map((s) => s.p);
      attendees = [...new Set(attendees)];
      while (attendees.length < 2 && active.length >= 2) {
        const a = r.pick(active).p;
        if (!attendees.includes(a)) attendees.push(a);
      }
      if (attendees.length > 5) attendees = r.shuffle(attendees).slice(0, 5);
      if (!attendees.length) continue;
      // vehicle for the day
      let vehicle: Vehicle | undefined;
      const ownCars = attendees.flatMap((a) => w.people[a]!.vehicles);
      const roll = r.next();
      if (roll < 0.45) {
        if (!rental || rental.until < t0) rental = { v: newVehicle(cfg.metros[crew.home]!, cfg, r, true), until: t0 + r.int(5, 21) * DAY };
        vehicle = rental.v;
      } else if (roll < 0.8 && ownCars.length) vehicle = r.pick(ownCars);
      else if (crew.borrowed.length) vehicle = r.pick(crew.borrowed);
      else if (ownCars.length) vehicle = r.pick(ownCars);
      // route: stores near a starting point, hit in sequence
      const lead = w.people[attendees[0]!]!;
      const travel = cc.travelP > 0 && r.chance(cc.travelP);
      const sw = w.storeWeights(lead, cc.rangeKm * (travel ? 30 : 1), travel);
      const nStores = r.int(...cc.stores);
      const route: number[] = [];
      for (let k = 0; k < nStores * 3 && route.length < nStores; k++) {
        const s = sw.sample(r);
        if (!route.includes(s)) route.push(s);
      }
      const day = Math.floor(t0 / DAY) * DAY;
      let t = day + (r.int(10, 15) * 60 + r.int(0, 59)) * 60000;
      for (const s of route) {
        const kind = w.stores[s]!.kind;
        const seen = attendees.filter(() => r.chance(0.85));
        if (!seen.length) seen.push(attendees[0]!);
        const type = r.chance(0.9) ? 'shoplifting' : kind === 'bigbox' ? 'refund-fraud' : r.pick(['threatening-behaviour', 'robbery', 'suspicious']);
        const tt = kind === 'fuel' || (new Date(t).getUTCHours() < STORE_HOURS[kind][1] && new Date(t).getUTCHours() >= STORE_HOURS[kind][0]) ? t : day + STORE_HOURS[kind][0] * 3600000 + r.int(10, 300) * 60000;
        out.push({ seq: out.length, time: Math.min(tt, WINDOW_END), store: s, people: r.shuffle(seen), type, vehicle: r.chance(Math.min(0.95, 0.55 * cfg.obs.vehicle)) ? vehicle : undefined, crew: crew.id, spree: day });
        t += r.int(20, 90) * 60000;
      }
    }
  }
}

// =====================================================================================
// Observation: turning an incident into a report body
// =====================================================================================

const KB = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
function kbNeighbour(ch: string, r: Rng): string {
  const c = ch.toLowerCase();
  for (let row = 0; row < KB.length; row++) {
    const i = KB[row]!.indexOf(c);
    if (i >= 0) {
      const opts: string[] = [];
      if (i > 0) opts.push(KB[row]![i - 1]!);
      if (i < KB[row]!.length - 1) opts.push(KB[row]![i + 1]!);
      if (row > 0 && KB[row - 1]![i]) opts.push(KB[row - 1]![i]!);
      if (row < 2 && KB[row + 1]![i]) opts.push(KB[row + 1]![i]!);
      return r.pick(opts);
    }
  }
  return c;
}
const PHONETIC: [RegExp, string][] = [[/ph/, 'f'], [/ie$/, 'y'], [/y$/, 'ie'], [/ll/, 'l'], [/tt/, 't'], [/ck/, 'k'], [/z/, 's'], [/s$/, 'z'], [/ei/, 'ie'], [/ou/, 'o'], [/an$/, 'en'], [/er$/, 'ar'], [/v/, 'b']];

function typo(s: string, r: Rng): string {
  if (s.length < 3) return s;
  const lower = s.toLowerCase();
  let out = lower;
  const roll = r.next();
  const i = r.chance(0.1) ? 0 : r.int(1, lower.length - 1);
  if (roll < 0.25) out = lower.slice(0, i) + kbNeighbour(lower[i]!, r) + lower.slice(i + 1); // substitution
  else if (roll < 0.45) out = lower.slice(0, i) + lower.slice(i + 1); // deletion
  else if (roll < 0.6) out = lower.slice(0, i) + lower[i] + lower.slice(i); // doubling
  else if (roll < 0.8 && i < lower.length - 1) out = lower.slice(0, i) + lower[i + 1] + lower[i] + lower.slice(i + 2); // transposition
  else {
    const rules = PHONETIC.filter(([re]) => re.test(lower));
    out = rules.length ? lower.replace(...r.pick(rules)) : lower.slice(0, i) + r.pick(['a', 'e', 'i', 'o', 'u']) + lower.slice(i + 1);
  }
  if (!out) return s;
  // keep the original capitalisation pattern of the first letter
  return s[0] === s[0]!.toUpperCase() ? out.charAt(0).toUpperCase() + out.slice(1) : out;
}

function titleCase(s: string): string {
  return s.replace(/\b([a-z])/g, (m) => m.toUpperCase());
}

type NameSource = 'id' | 'known' | 'told';

interface Ctx { w: World; r: Rng; cfg: Cfg; t: number; store: Store; inc: Incident; prevented: boolean }

function spellToken(tok: string, ctx: Ctx, typoP: number): string {
  const { r } = ctx;
  let out = tok;
  const v = VARIANTS[out];
  if (v && r.chance(0.12)) out = r.pick(v);
  const acc = ACCENTED[out];
  if (acc && r.chance(/[ễầạũõ]/.test(acc) ? 0.03 : 0.1)) out = acc;
  if (r.chance(typoP)) out = out.split(' ').map((x) => (x.length > 2 && r.chance(0.7) ? typo(x, r) : x)).join(' ');
  return out;
}

function renderName(p: Person, src: NameSource, ctx: Ctx): Record<string, unknown> | undefined {
  const { r, cfg } = ctx;
  // staff copy the name already on file for a known person
  if (src === 'known' && p.lastName && r.chance(0.45)) return { ...p.lastName };
  const typoP = 0.07 * cfg.obs.typo * (src === 'id' ? 0.6 : src === 'told' ? 1.4 : 1);
  const out: Record<string, unknown> = {};
  // fake identity: crews and some fraudsters give a false name; with a fake ID even on 'id'
  const fake = p.fakes.length && r.chance(src === 'id' ? 0.2 : src === 'told' ? 0.5 : 0.3) ? r.pick(p.fakes) : undefined;
  let given: string | undefined;
  let family: string | undefined;
  if (fake) {
    given = fake.given;
    family = fake.family;
  } else {
    // given field
    const roll = r.next();
    const nickP = src === 'id' ? 0.03 : src === 'known' ? 0.4 : 0.45;
    if (p.nick && roll < nickP) given = p.nick;
    else if (p.middle && p.pool !== 'us' && r.chance(src === 'id' ? 0.3 : 0.2)) given = `${p.given} ${p.middle}`; // "Juan Carlos", "Van Minh" style
    else if (p.middle && p.pool === 'hisp' && p.given === 'Maria' && r.chance(0.4)) given = p.middle; // Maria Guadalupe -> Guadalupe
    else if (p.middle && p.pool === 'us' && r.chance(src === 'id' ? 0.12 : 0.03)) given = r.chance(0.5) ? `${p.given} ${p.middle}` : `${p.given} ${p.middle[0]}`;
    else given = p.given;
    if (p.pool === 'viet' && p.middle && !given.includes(' ') && given === p.given && VIET_MIDDLE_M.concat(VIET_MIDDLE_F).includes(p.middle) && r.chance(0.15)) given = `${p.middle} ${p.given}`;
    // family field
    if (p.family2) {
      const f = r.next();
      family = f < 0.42 ? p.family : f < 0.57 ? p.family2 : f < 0.75 ? `${p.family} ${p.family2}` : `${p.family}-${p.family2}`;
      if (family.includes(' ') && p.hyphen && r.chance(0.5)) family = family.replace(' ', '-');
    } else family = p.family;
    if (p.suffix && r.chance(src === 'id' ? 0.6 : 0.3)) {
      const sfx = r.pick([p.suffix, `${p.suffix}.`, p.suffix.toUpperCase()]);
      if (r.chance(0.75)) family = `${family} ${sfx}`;
      else given = `${given} ${sfx}`;
    }
  }
  given = spellToken(given, ctx, typoP);
  family = spellToken(family, ctx, typoP);
  // swaps: family-first order (Vietnamese names especially), or fields mixed up
  const swapP = p.pool === 'viet' ? 0.2 : 0.03;
  if (r.chance(swapP)) [given, family] = [family, given];
  // partial
  const part = r.next();
  const onlyGiven = src === 'id' ? 0.02 : src === 'known' ? 0.1 : 0.2;
  const onlyFamily = src === 'id' ? 0.01 : 0.05;
  if (part < onlyGiven) family = undefined;
  else if (part < onlyGiven + onlyFamily) given = undefined;
  // case
  const caseRoll = r.next();
  const setCase = (s: string | undefined): string | undefined => (s === undefined ? s : caseRoll < 0.08 ? s.toUpperCase() : caseRoll < 0.11 ? s.toLowerCase() : caseRoll < 0.13 ? titleCase(s.toLowerCase()) : s);
  given = setCase(given);
  family = setCase(family);
  if (given) out.given = given;
  if (family) out.family = family;
  if (p.street.length && r.chance(src === 'known' ? 0.45 : 0.25)) out.aliases = [r.chance(0.1) ? p.street[0]!.toLowerCase() : p.street[0]!];
  if (fake && src !== 'id' && r.chance(0.1)) out.aliases = [...((out.aliases as string[]) ?? []), `${p.given} ${p.family}`];
  if (!Object.keys(out).length) return undefined;
  p.lastName = { ...out };
  return out;
}

function renderDob(p: Person, src: NameSource, ctx: Ctx): string | undefined {
  const { r } = ctx;
  let dob = p.dob;
  if (src === 'known' && p.lastDob && r.chance(0.6)) return p.lastDob;
  if (p.fakes.length && r.chance(src === 'id' ? 0.15 : 0.35)) {
    const f = r.pick(p.fakes);
    if (f.dob) dob = f.dob;
  }
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  const roll = r.next();
  let cand: [number, number, number] = [y, m, d];
  if (roll < 0.05) cand = [y, d, m]; // day/month swapped
  else if (roll < 0.09) {
    // two digits transposed in day or month
    cand = r.chance(0.6) ? [y, m, Number(pad(d, 2).split('').reverse().join(''))] : [y, Number(pad(m, 2).split('').reverse().join('')), d];
  } else if (roll < 0.15) cand = [y + (r.chance(0.5) ? 1 : -1), m, d]; // year off by one
  else if (roll < 0.17) cand = [y + (r.chance(0.5) ? 10 : -10), m, d]; // decade digit
  else if (roll < 0.2) cand = [y, m, d + (r.chance(0.5) ? 1 : -1)]; // day off
  else if (roll < 0.215) cand = [Number(String(y).slice(0, 2) + String(y).slice(2).split('').reverse().join('')), m, d]; // 1987 -> 1978
  if (!validDate(...cand)) cand = [y, m, d];
  const out = isoDate(...cand);
  p.lastDob = out;
  return out;
}

function renderPhone(p: Person, ctx: Ctx): string | undefined {
  const { r, t, w } = ctx;
  const hh = w.households[p.household]!;
  const current = [...p.phones].reverse().find((ph) => ph.from <= t) ?? p.phones[0];
  let num: string | undefined;
  if (hh.phone && r.chance(0.5)) num = hh.phone;
  else if (current) num = p.phones.length > 1 && r.chance(0.15) ? r.pick(p.phones).num : current.num;
  if (!num) return undefined;
  const digits = num.slice(2).split('');
  const roll = r.next();
  if (roll < 0.07) {
    const i = r.int(3, 9);
    digits[i] = String((Number(digits[i]) + r.pick([1, 9, 2, 8])) % 10); // one digit off
  } else if (roll < 0.1) {
    const i = r.int(4, 8);
    const tmp = digits[i]!;
    digits[i] = digits[i + 1]!;
    digits[i + 1] = tmp;
  }
  if (digits[3] === '0' || digits[3] === '1') digits[3] = '2';
  return `+1${digits.join('')}`;
}

const OCR: Record<string, string[]> = { O: ['0', 'D', 'Q'], '0': ['O', 'D'], D: ['0', 'O'], I: ['1', 'L'], '1': ['I', 'L', '7'], L: ['1'], B: ['8'], '8': ['B'], S: ['5'], '5': ['S'], Z: ['2'], '2': ['Z'], G: ['6', 'C'], '6': ['G'], T: ['7'], '7': ['T', '1'], Q: ['O', '0'], U: ['V'], V: ['U', 'Y'], M: ['N', 'H'], N: ['M', 'H'], H: ['N', 'M'], E: ['F'], F: ['E'], C: ['G'], A: ['4'], '4': ['A'], K: ['X'], X: ['K'] };

function renderPlate(v: Vehicle, r: Rng): string {
  for (let k = 0; k < 5; k++) {
    const s = renderPlateOnce(v, r);
    if (plateOk(s)) return s;
  }
  return v.plate;
}
function renderPlateOnce(v: Vehicle, r: Rng): string {
  const chars = v.plate.replace(/[\s-]/g, '').split('');
  const roll = r.next();
  const confuse = (n: number): void => {
    for (let k = 0; k < n; k++) {
      const idxs = chars.map((c, i) => (OCR[c] ? i : -1)).filter((i) => i >= 0);
      if (!idxs.length) return;
      const i = r.pick(idxs);
      chars[i] = r.pick(OCR[chars[i]!]!);
    }
  };
  if (roll < 0.16) confuse(1);
  else if (roll < 0.2) confuse(2);
  else if (roll < 0.23) {
    const i = r.int(0, chars.length - 2);
    const tmp = chars[i]!;
    chars[i] = chars[i + 1]!;
    chars[i + 1] = tmp;
  } else if (roll < 0.28) chars.splice(r.int(3, chars.length - 1)); // partial plate
  else if (roll < 0.3) chars[r.int(0, chars.length - 1)] = r.chance(0.5) ? r.pick(PLATE_LETTERS.split('')) : String(r.int(0, 9));
  let s = chars.join('');
  // display: as issued, compact, or with another separator
  const fmt = r.next();
  if (fmt < 0.45 && chars.length === v.plate.replace(/[\s-]/g, '').length) {
    let k = 0;
    s = v.plate.replace(/[^\s-]/g, () => chars[k++] ?? '');
  } else if (fmt < 0.6 && s.length > 4) s = `${s.slice(0, 3)}${r.pick([' ', '-'])}${s.slice(3)}`;
  else if (fmt < 0.63) s = s.toLowerCase();
  return s;
}

function renderVehicle(v: Vehicle, r: Rng): Record<string, unknown> {
  let make = v.make;
  let model = v.model;
  let colour = v.colour;
  if (MAKE_ALIASES[make] && r.chance(0.4)) make = r.pick(MAKE_ALIASES[make]!);
  if (r.chance(0.18)) model = v.body; // witness only saw the body type
  else if (r.chance(0.04)) model = VEHICLES.sample(r)[1]; // wrong model
  if (r.chance(0.03)) make = VEHICLES.sample(r)[0];
  if (COLOUR_CONFUSION[colour] && r.chance(0.15)) colour = r.pick(COLOUR_CONFUSION[colour]!);
  else if (colour === 'gray' && r.chance(0.3)) colour = 'grey';
  return { plate: renderPlate(v, r), make, model, colour };
}

function toInchCm(cm: number): number {
  return Math.round(Math.round(cm / 2.54) * 2.54);
}

function renderPerson(p: Person, ref: string, role: string, ctx: Ctx): { body: Record<string, unknown>; named: boolean } {
  const { r, cfg, t, store, inc } = ctx;
  const obs = cfg.obs;
  const isLead = inc.people[0] === p.idx;
  const prevented = ctx.prevented;
  // how is this person identified in this report?
  let pId = (P_ID[inc.type] ?? 0.05) * obs.id * (prevented ? 2.2 : 1) * (isLead ? 1 : 0.6);
  if (inc.crew !== undefined) pId *= 0.7;
  let src: NameSource | undefined;
  if (r.chance(Math.min(0.95, pId))) src = 'id';
  else {
    const recog = p.knownStores.has(inc.store) ? 0.7 : p.knownMetros.has(store.metro) ? 0.3 : 0;
    if (r.chance(Math.min(0.95, recog * obs.recog))) src = 'known';
    else if (r.chance(obs.told * (inc.type === 'pos-fraud' ? 2 : 1) * (inc.type === 'drive-off' ? 0.2 : 1))) src = 'told';
  }
  const out: Record<string, unknown> = { ref, role };
  let named = false;
  if (src) {
    const name = renderName(p, src, ctx);
    if (name) {
      out.name = name;
      named = true;
      p.knownStores.add(inc.store);
      p.knownMetros.add(store.metro);
    }
  } else if (p.street.length && r.chance(0.05 * obs.recog)) {
    out.name = { aliases: [p.street[0]!] };
  }
  // date of birth
  const pDob = (src === 'id' ? 0.7 : src === 'known' ? 0.18 : src === 'told' ? 0.04 : 0.004) * obs.dob;
  if (r.chance(Math.min(0.95, pDob))) {
    const d = renderDob(p, src ?? 'told', ctx);
    if (d) out.dateOfBirth = d;
  }
  const age = ageAt(p.dob, t);
  // estimated age range
  if (r.chance(Math.min(0.97, (out.dateOfBirth ? 0.35 : 0.75) * obs.ageRange))) {
    const est = age + r.normal(1, 4.5);
    const width = r.pick([4, 5, 10, 10, 10, 6, 15]);
    let min = Math.round(est - width / 2);
    if (r.chance(0.55)) min = Math.round(min / 5) * 5;
    min = Math.max(12, min);
    out.ageRange = { min, max: min + width };
  }
  if (r.chance(Math.min(0.97, 0.6 * obs.height))) {
    const est = p.heightCm + r.normal(1.5, 5.5);
    out.heightCm = r.chance(0.7) ? toInchCm(est) : Math.round(est / 5) * 5;
  }
  if (r.chance(Math.min(0.97, 0.65 * obs.height))) {
    const order: Build[] = ['slim', 'medium', 'heavy'];
    let i = order.indexOf(p.build);
    if (r.chance(0.22)) i = Math.max(0, Math.min(2, i + (r.chance(0.5) ? 1 : -1)));
    out.build = order[i];
  }
  const pPhone = (src === 'id' ? (inc.type === 'refund-fraud' ? 0.4 : 0.18) : src === 'known' ? 0.1 : src === 'told' ? (inc.type === 'pos-fraud' ? 0.5 : 0.15) : 0.004) * obs.phone;
  if (r.chance(Math.min(0.95, pPhone))) {
    const ph = renderPhone(p, ctx);
    if (ph) out.phone = ph;
  }
  // features
  const quality = Math.min(1.3, Math.max(0.3, r.normal(0.85, 0.25) * obs.desc));
  const feats: string[] = [];
  for (const f of p.features) if (r.chance(Math.min(0.95, f.salience * quality))) feats.push(renderFeature(f, r, quality));
  for (const f of p.transient) if (r.chance(0.7 * f.salience * quality)) feats.push(renderFeature(f, r, quality));
  if (r.chance(0.03)) feats.push(renderFeature({ kind: r.pick(TRANSIENT_FEATURES), salience: 0 }, r, quality)); // noise
  if (feats.length > 1 && r.chance(0.12)) feats.splice(0, 2, `${feats[0]} and ${feats[1]}`);
  if (feats.length) out.distinguishingFeatures = feats;
  // clothing: one outfit per person per day
  const dayKey = Math.floor(t / DAY);
  let outfit = p.outfits.get(dayKey);
  if (!outfit) {
    outfit = newOutfit(p.wardrobe, r, inc.type === 'robbery');
    p.outfits.set(dayKey, outfit);
  }
  if (r.chance(Math.min(0.98, 0.82 * obs.desc))) {
    const c = renderOutfit(outfit, r, Math.min(1.2, quality));
    if (c) out.clothing = c;
  }
  return { body: out, named };
}

function renderProducts(inc: Incident, lead: Person, kind: StoreKind, r: Rng): Record<string, unknown>[] | undefined {
  const type = inc.type;
  let pInclude = 0;
  if (type === 'shoplifting') pInclude = 0.85;
  else if (type === 'pos-fraud' || type === 'refund-fraud') pInclude = 0.9;
  else if (type === 'drive-off') pInclude = 0.97;
  else if (type === 'burglary') pInclude = 0.6;
  else if (type === 'robbery') pInclude = 0.3;
  if (!r.chance(pInclude)) return undefined;
  const avail = KIND_CATEGORIES[kind];
  let cats: string[];
  if (type === 'drive-off') cats = ['fuel'];
  else if (type === 'burglary') cats = avail.filter((c) => ['tobacco', 'lottery', 'electronics', 'liquor', 'otc', 'tools'].includes(c));
  else {
    const mine = lead.cats.filter((c) => avail.includes(c) && c !== 'fuel');
    cats = mine.length && r.chance(0.75) ? mine : avail.filter((c) => c !== 'fuel');
  }
  if (!cats.length) cats = avail.filter((c) => c !== 'fuel');
  if (!cats.length) return undefined;
  const nLines = type === 'drive-off' ? 1 : type === 'pos-fraud' ? r.int(1, 4) : inc.crew !== undefined ? r.int(1, 4) : r.chance(0.6) ? 1 : r.int(2, 3);
  const lines: Record<string, unknown>[] = [];
  const used = new Set<string>();
  for (let i = 0; i < nLines; i++) {
    const cat = r.pick(cats);
    const [name, price, lo, hi] = r.pick(PRODUCTS[cat]!.items);
    if (used.has(name)) continue;
    used.add(name);
    let q = r.int(lo, hi);
    if (inc.crew !== undefined && cat !== 'fuel') q = Math.min(hi * 2, q + r.int(0, hi));
    const line: Record<string, unknown> = { sku: upc(name), name, quantity: q, unitValue: price };
    if (r.chance(0.08)) delete line.sku;
    lines.push(line);
  }
  return lines;
}

function money(lines: Record<string, unknown>[] | undefined): string {
  if (!lines) return '';
  const v = lines.reduce((a, l) => a + (l.quantity as number) * (l.unitValue as number), 0);
  return `$${v.toFixed(2)}`;
}

function renderDescription(inc: Incident, kind: StoreKind, prevented: boolean, products: Record<string, unknown>[] | undefined, vehicle: Record<string, unknown> | undefined, names: string[], r: Rng): string | undefined {
  const n = inc.people.length;
  const who = n === 1 ? r.pick(['Subject', 'Offender', 'Suspect', 'Individual', 'Subject']) : n === 2 ? r.pick(['Two subjects', 'A pair', 'Subjects (2)']) : `Group of ${n}`;
  const first = products?.[0];
  const item = first ? `${first.quantity} x ${first.name}` : r.pick(['merchandise', 'items', 'product']);
  const bag = r.pick(['a tote bag', 'a backpack', 'their jacket', 'their waistband', 'a stroller', 'a foil-lined bag', 'a purse']);
  const veh = vehicle ? ` Left in ${article(String(vehicle.colour))} ${vehicle.make} ${vehicle.model}${r.chance(0.5) ? `, plate ${vehicle.plate}` : ''}.` : '';
  const known = names.length && r.chance(0.3) ? ` Known to staff as ${names[0]}.` : '';
  const total = products ? ` Total loss ${money(products)}.` : '';
  let s: string;
  switch (inc.type) {
    case 'shoplifting':
      s = prevented
        ? r.pick([`${who} concealed ${item} in ${bag}. Stopped at the exit and merchandise recovered.`, `${who} selected ${item} and tried to leave without paying; staff intervened, items recovered.`, `${who} attempted to push out a cart of ${item}; stopped at the door.`])
        : r.pick([`${who} concealed ${item} in ${bag} and walked out past the registers.`, `${who} swept ${item} off the shelf into ${bag} and left.`, `${who} selected ${item} and left without paying.`, `Cleared the shelf of ${item}. Left through the front doors.`]);
      if (inc.crew !== undefined && r.chance(0.5)) s += r.pick([' One acted as a lookout near the door.', ' Subjects split up on entry and met at the exit.', ' Same group seen at other stores today.', ' Organized, fast, less than 3 minutes in store.']);
      break;
    case 'drive-off': s = `Pumped ${first ? first.quantity : 'fuel'} gal${first ? '' : ''} at pump ${r.int(1, 12)} and drove off without paying.`; break;
    case 'refund-fraud': s = prevented ? `${who} attempted a no-receipt return of ${item}; refused, items suspected stolen.` : `${who} returned ${item} without a receipt for store credit; items suspected stolen from another location.`; break;
    case 'pos-fraud': s = r.pick([`${who} skipped scanning ${item} at self-checkout.`, `Ticket switching: ${who.toLowerCase()} put a lower-priced barcode on ${item}.`, `${who} scanned cheap produce codes for ${item} at self-checkout.`]); break;
    case 'robbery': s = r.pick([`${who} demanded cash from the register and implied a weapon.`, `${who} jumped the counter and took cash from the till.`, `${who} demanded ${item} from behind the pharmacy counter.`]); break;
    case 'burglary': s = `Forced entry through the ${r.pick(['rear door', 'front glass', 'roof vent'])} after hours. ${item} taken.`; break;
    case 'cash-theft': s = `${who} reached over the counter and took cash from the open till.`; break;
    case 'currency-fraud': s = `${who} attempted to pay with a counterfeit $${r.pick([20, 50, 100])} bill.`; break;
    case 'theft-from-person': s = `${who} took a customer's wallet from a shopping cart in aisle ${r.int(1, 20)}.`; break;
    case 'assault': s = `${who} pushed a staff member who tried to stop them at the door.`; break;
    case 'threatening-behaviour': s = r.pick([`${who} threatened to come back and hurt staff when challenged.`, `${who} got in the face of the cashier and threatened them.`]); break;
    case 'verbal-abuse': s = r.pick([`${who} swore at staff after being refused service.`, `${who} yelled abuse at the cashier over a price.`]); break;
    case 'anti-social': s = r.pick([`${who} loitering at the entrance and harassing customers.`, `${who} refused to leave and caused a disturbance.`, `${who} skateboarding through aisles and knocking over displays.`]); break;
    case 'trespass': s = `${who} under a trespass notice entered the store. Asked to leave.`; break;
    case 'damage': s = `${who} kicked and cracked the glass door when refused entry.`; break;
    case 'suspicious': s = r.pick([`${who} watched the ${kind === 'pharmacy' ? 'razor' : 'electronics'} aisle for 20 minutes and photographed security tags.`, `${who} cased the store and left without buying.`]); break;
    default: s = `${who} involved in an incident with staff.`;
  }
  s += veh + known + (r.chance(0.4) ? total : '');
  return s.length > 2000 ? s.slice(0, 2000) : s;
}

function nthSunday(y: number, month: number, n: number): number {
  const first = new Date(Date.UTC(y, month, 1)).getUTCDay();
  return Date.UTC(y, month, 1 + ((7 - first) % 7) + (n - 1) * 7);
}
/** Store-local wall-clock time -> UTC (US standard offsets; DST from the 2nd Sunday of March to the 1st Sunday of November). */
function toUtc(local: number, m: Metro): number {
  const y = new Date(local).getUTCFullYear();
  const dst = m.dst && local >= nthSunday(y, 2, 2) + 2 * 3600000 && local < nthSunday(y, 10, 1) + 2 * 3600000;
  return local - (m.tz + (dst ? 1 : 0)) * 3600000;
}

function fmtIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19) + 'Z';
}

// =====================================================================================
// generate()
// =====================================================================================

export function generate(regime: string, seed: number): Dataset {
  const cfg = config(regime);
  const w = new World(cfg, seed);
  w.buildStores();
  const rPeople = w.r.fork('people');
  const incidents: Incident[] = [];
  const rInc = w.r.fork('incidents');
  // crews first (their members are part of the people total)
  crewIncidents(w, rInc, incidents);
  const crewEvents = incidents.length;
  const crewPeople = w.people.length;
  const solo = w.buildPeople(Math.max(0, cfg.people - crewPeople), rPeople);
  w.linkAssociates(rPeople.fork('assoc'));
  // crew members also offend alone now and then
  const crewSolo = w.people.filter((p) => p.crew !== undefined && rInc.chance(0.25)).map((p) => p.idx);
  soloIncidents(w, solo.concat(crewSolo), Math.max(solo.length + crewSolo.length, cfg.events - crewEvents), rInc, incidents);

  for (const inc of incidents) inc.utc = toUtc(inc.time, cfg.metros[w.stores[inc.store]!.metro]!);
  incidents.sort((a, b) => a.utc! - b.utc! || a.seq - b.seq);
  const rObs = w.r.fork('observe');
  const events: GeneratedEvent[] = [];
  const truth: TruthRow[] = [];
  const width = Math.max(6, String(incidents.length).length);
  incidents.forEach((inc, k) => {
    const r = rObs;
    const store = w.stores[inc.store]!;
    const id = `ev-${pad(k + 1, width)}`;
    const prevented = r.chance(P_PREVENTED[inc.type] ?? 0);
    const ctx: Ctx = { w, r, cfg, t: inc.time, store, inc, prevented };
    const lead = w.people[inc.people[0]!]!;
    const body: Record<string, unknown> = { storeId: store.id, occurredAt: fmtIso(inc.utc!), type: inc.type, prevented };
    const products = renderProducts(inc, lead, store.kind, r);
    const vehicle = inc.vehicle ? renderVehicle(inc.vehicle, r) : undefined;
    // people (lead first most of the time)
    const order = inc.people.length > 1 && r.chance(0.2) ? r.shuffle([...inc.people]) : inc.people;
    const people: Record<string, unknown>[] = [];
    const names: string[] = [];
    let minor = false;
    order.forEach((pi, j) => {
      const p = w.people[pi]!;
      const ref = `p${j + 1}`;
      const role = pi === inc.people[0] ? 'offender' : r.chance(0.6) ? 'accomplice' : 'offender';
      const { body: pb } = renderPerson(p, ref, role, ctx);
      const nm = pb.name as { given?: string; family?: string; aliases?: string[] } | undefined;
      if (nm?.aliases?.length) names.push(`"${nm.aliases[0]}"`);
      if (ageAt(p.dob, inc.time) < 18) minor = true;
      people.push(pb);
      truth.push({ eventId: id, ref, personId: p.id || (p.id = `${cfg.name}-P${pad(p.idx + 1, 6)}`) });
    });
    if (r.chance(0.7 * cfg.obs.desc)) {
      const d = renderDescription(inc, store.kind, prevented, products, vehicle, names, r);
      if (d) body.description = d;
    }
    if (products && products.length) {
      body.products = products;
      body.currency = 'USD';
    }
    body.people = people;
    if (vehicle) body.vehicles = [vehicle];
    if (inc.type === 'robbery' || inc.type === 'assault' || inc.type === 'threatening-behaviour' || inc.type === 'theft-from-person') {
      const weapon = inc.type === 'robbery' ? new Weighted(counted('none 35,knife 20,firearm 25,syringe 5,blunt 5,other 10')).sample(r) : inc.type === 'assault' ? (r.chance(0.8) ? 'none' : r.pick(['blunt', 'knife', 'other'])) : r.chance(0.85) ? 'none' : r.pick(['knife', 'blunt', 'other']);
      body.violence = { threatened: inc.type !== 'theft-from-person' || r.chance(0.2), used: inc.type === 'assault' || (inc.type === 'robbery' && r.chance(0.2)), weapon };
    } else if (r.chance(0.15)) body.violence = { threatened: false, used: false, weapon: 'none' };
    body.sensitive = minor;
    if (r.chance(0.25)) body.policeSharing = r.chance(0.9) ? { mode: 'default', excludeAgencies: [] } : { mode: 'internal', excludeAgencies: [] };
    if (r.chance(P_POLICE[inc.type] ?? 0.05)) {
      const m = cfg.metros[store.metro]!;
      body.policeReference = `${m.agency}${new Date(inc.time).getUTCFullYear() % 100}-${pad(r.int(0, 999999), 6)}`;
    }
    events.push({ id, body });
  });
  return { name: cfg.name, description: cfg.description, events, truth };
}
