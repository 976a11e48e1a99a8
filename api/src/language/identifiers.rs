//! De-identification: the names, HKIDs, phone numbers, addresses, dates of birth and
//! school names in a narrative, found by patterns of how Hong Kong writes them, and
//! replaced with placeholders in any text that leaves the record.

use std::ops::Range;

use common::language::IdentifierKind;
use ferrous_opencc::OpenCC;
use regex::Regex;

use super::{Language, Positions};

/// Hong Kong's common surnames, folded to Simplified: a name is a surname and a given name,
/// or a surname and a title (陳太, 李生).
const SURNAMES: &str = "陈黄张李刘吴郑梁林何王杨周胡罗赵徐孙朱马高郭冯曾蔡邓谢叶许苏潘卢彭钟余吕杜谭黎曹袁邱麦莫廖严韦温庄傅汤关区钱方江萧伍岑颜邝姚龚程丁石沈冼戴翁简霍卓柯古范韩崔薛孔甘雷凌招植阮利单伦骆尹史华缪殷蒙鲍宋陆邵熊金贺贾毛唐任康童施谷饶邹侯葛覃田车蓝鲁聂容";
const COMPOUND_SURNAMES: &str = "欧阳|司徒|上官|诸葛|端木|欧|司马";
/// What follows a surname to make a name of it.
const TITLES: &str =
    "先生|太太|小姐|姑娘|女士|婆婆|伯伯|老师|医生|姨姨|[Ss][Ii][Rr]|生|太|伯|婆|姐|哥|姨|叔|嫂";
/// Hong Kong surnames as romanised.
const ROMANISED_SURNAMES: &str = "Chan|Chen|Wong|Wang|Huang|Cheung|Chang|Zhang|Lee|Li|Lau|Liu|Ng|Wu|Cheng|Zheng|Leung|Liang|Lam|Lin|Ho|He|Yeung|Yang|Chow|Chau|Zhou|Tsang|Tsui|Yip|Ip|Tang|Kwok|Lai|Fung|Chu|Mak|Lo|Law|Ma|Kwan|Yu|Yue|So|Siu|Choi|Tse|Hui|Poon|Lui|Lu|Pang|Chung|Cheuk|Kong|Fong|Tam|Tsoi|Yuen|Au|Yau|Chiu|Luk|Kwong|Lok|Ko|Kam|Sze|Ching|Shek|Sin|Hung|Chiang|Tong|Tung|Mok|Kan|Ting|Yim|Yiu|Hon|Shum|Fok|Wat|Kei|Heung|Hau|Leung|Ngai|Ngan|Wai|Yuen|Chong|Lung|Wan|Man|Tsoi|Chui|Chai|Chik|Fan|Hon|Kok|Lai|Mui|Ting|Tsz|Wing|Yee|Yung|Zhao|Sun|Xu|Guo|Song|Liang|Xie|Khan|Singh|Shah|Ali|Gurung|Rai|Limbu|Tamang|Thapa|Hussain|Ahmed|Begum|Santos|Reyes|Cruz|Kaur";
/// English given names common in Hong Kong, and South and Southeast Asian ones, that name a
/// person standing alone (her son Jason, Priya said); words that are also months or
/// common words (May, Will, Hope) are left out.
const GIVEN_NAMES: &str = "Aaron|Abby|Ada|Adrian|Agnes|Aisha|Alan|Alex|Alice|Amir|Amy|Andy|Angel|Angela|Anil|Anita|Anna|Annie|Anson|Arjun|Asha|Ashley|Ayesha|Ben|Bikash|Bilal|Billy|Bobby|Bonnie|Brian|Bryan|Calvin|Candy|Carl|Carmen|Carol|Catherine|Cathy|Charles|Charlotte|Cherry|Chloe|Chris|Christina|Cindy|Claudia|Coco|Connie|Crystal|Daisy|Daniel|David|Deepa|Dennis|Derek|Desmond|Dewi|Dickson|Doris|Eddie|Edmond|Edward|Edwin|Elaine|Eliza|Ella|Elvis|Emily|Emma|Enoch|Eric|Esther|Ethan|Eva|Fatima|Felix|Fiona|Florence|Frank|Frankie|Gabriel|Gary|George|Gita|Gloria|Gordon|Grace|Hailey|Hamza|Harry|Helen|Henry|Imran|Irene|Iris|Isaac|Isabella|Ivan|Ivy|Jack|Jacky|James|Jane|Janet|Jason|Jayden|Jeffrey|Jennifer|Jenny|Jerry|Jessica|Jimmy|Joanne|Jocelyn|Joe|Joey|John|Johnny|Jonathan|Joseph|Joyce|Judy|Justin|Kamal|Karen|Karson|Kate|Katie|Keith|Kelvin|Ken|Kenneth|Kevin|Kitty|Lawrence|Leo|Leon|Lily|Linda|Lisa|Lorna|Louis|Lucas|Lucy|Macy|Maggie|Mandy|Manisha|Marco|Marcus|Maria|Maricel|Marites|Martin|Mary|Matthew|Max|Maya|Mia|Michael|Michelle|Miranda|Nadia|Nancy|Natalie|Nathan|Neha|Nelson|Nick|Nicole|Nora|Olivia|Oscar|Owen|Patrick|Paul|Peggy|Peter|Philip|Phoebe|Polly|Pooja|Priya|Queenie|Rachel|Rahul|Raj|Ramesh|Ravi|Ray|Raymond|Rebecca|Richard|Ricky|Rita|Rizwan|Robert|Rohan|Ronald|Rosa|Roy|Ruby|Ryan|Sam|Samuel|Sana|Sandy|Sanjay|Sarah|Shirley|Simon|Sita|Siti|Sophia|Sophie|Stanley|Stella|Stephanie|Stephen|Steven|Suman|Sunita|Sunny|Susan|Terry|Thomas|Tiffany|Timothy|Tina|Tom|Tommy|Tony|Usman|Vicky|Victor|Vincent|Vivian|Wendy|William|Wilson|Winnie|Winston|Yvonne|Zara|Zoe";
/// Place names that read like romanised names (Wong Tai Sin, Lam Tin, Sham Shui Po).
const PLACES: &str = "Central and Western|Wan Chai|Eastern|Southern|Yau Tsim Mong|Sham Shui Po|Kowloon City|Wong Tai Sin|Kwun Tong|Tsuen Wan|Tuen Mun|Yuen Long|North|Tai Po|Sai Kung|Sha Tin|Kwai Tsing|Islands|Tin Shui Wai|Shek Kip Mei|Mong Kok|Kwai Chung|Tsing Yi|Fanling|Sheung Shui|Tung Chung|Aberdeen|Chai Wan|Tseung Kwan O|Ma On Shan|To Kwa Wan|Hung Hom|North Point|Causeway Bay|Sai Ying Pun|Tai Kok Tsui|Yau Ma Tei|Lam Tin|Ngau Tau Kok|Kowloon Bay|Diamond Hill|Tsz Wan Shan|Lok Fu|Cheung Sha Wan|Lai Chi Kok|Mei Foo|Tai Wai|Fo Tan|Ho Man Tin|Kowloon Tong|Shau Kei Wan|Quarry Bay|Tai Koo|Ap Lei Chau|Pok Fu Lam|Kennedy Town|Sheung Wan|Jordan|Prince Edward|San Po Kong|Choi Hung|Lei Cheng Uk|Cheung Chau|Lantau|Kowloon|Hong Kong|New Territories";
/// Kin words after 阿 that are not a name (阿媽, 阿婆).
const KIN_AFTER_AH: &str = "妈爸婆公嫲爷哥姐弟妹姨叔伯婶嫂仔女边谁是里姑舅Ss";
/// Capitalised words that start a sentence or name a role, not a person's given name.
const NOT_GIVEN_NAMES: &[&str] = &[
    "The",
    "A",
    "An",
    "Client",
    "Clients",
    "Worker",
    "She",
    "He",
    "His",
    "Her",
    "Their",
    "They",
    "Husband",
    "Wife",
    "Son",
    "Daughter",
    "Mother",
    "Father",
    "Social",
    "School",
    "Case",
    "On",
    "In",
    "At",
    "With",
    "And",
    "But",
    "For",
    "From",
    "To",
    "Family",
    "Police",
    "Teacher",
    "Mr",
    "Mrs",
    "Ms",
    "Miss",
    "Madam",
    "Dr",
    "Estate",
    "Street",
    "Road",
    "Met",
    "Called",
    "Saw",
    "Visited",
    "Told",
    "Asked",
    "Said",
    "Grandma",
    "Grandpa",
    "Auntie",
    "Uncle",
    "Granny",
    "Brother",
    "Sister",
    "Boyfriend",
    "Girlfriend",
    "Partner",
    "Landlord",
    "Today",
    "Yesterday",
    "Tomorrow",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
    "Ex",
    "Late",
    "Baby",
    "Little",
    "Dear",
    "Both",
    "When",
    "After",
    "Before",
    "Since",
    "If",
    "As",
    "By",
    "Of",
    "Via",
    "Per",
];
/// Words after which a person's name often follows (案主陳美玲, 兒子志豪, her son Jason).
const ZH_ROLES: &str = "案主|案妻|案夫|案父|案母|案兒|案女|之女|之子|兒子|儿子|女兒|女儿|丈夫|妻子|太太|老公|老婆|個仔|个仔|個女|个女|母親|母亲|父親|父亲|姓名|名叫|叫做|男友|女友|男朋友|女朋友|同學|同学|鄰居|邻居|姊姊|姐姐|哥哥|弟弟|妹妹|孫|孙|媳婦|媳妇|女婿";
const EN_ROLES: &str = "son|daughter|husband|wife|boyfriend|girlfriend|partner|brother|sister|mother|father|grandson|granddaughter|named|called|client|child|friend|neighbour|nephew|niece|cousin|stepson|stepdaughter|student";
/// Words after a name that make it a place's or an institution's (Kwong Wah Hospital).
const INSTITUTIONS: &[&str] = &[
    "Hospital",
    "Estate",
    "School",
    "College",
    "Centre",
    "Center",
    "Street",
    "Road",
    "House",
    "Court",
    "Building",
    "Church",
    "Clinic",
    "Kindergarten",
    "Primary",
    "Secondary",
    "Memorial",
    "Tong",
    "Temple",
    "Park",
    "Garden",
    "Gardens",
    "Station",
    "Village",
    "Tower",
    "Plaza",
];

/// Words after which a Chinese school's or address's own name begins.
const LEAD_INS: &[&str] = &[
    "就读于",
    "就读",
    "入读",
    "升读",
    "转读",
    "转校到",
    "转去",
    "派到",
    "读",
    "返",
    "喺",
    "在",
    "于",
    "系",
    "是",
    "的",
    "到",
    "去",
    "个仔",
    "个女",
    "儿子",
    "女儿",
    "佢",
    "其",
    "案主",
    "话",
    "说",
    "该",
    "亦",
    "都",
    "已",
    "向",
    "联络",
    "致电",
    "通知",
    "与",
    "住在",
    "住喺",
    "住于",
    "居于",
    "居住",
    "住",
    "搬到",
    "搬去",
    "搬往",
    "搬入",
    "迁往",
    "迁入",
    "迁到",
    "地址",
    "址",
    "为",
    "屋企",
    "入住",
    "位于",
    "从",
    "同埋",
    "咗",
    "了",
    "返回",
    "回到",
    "寄住",
    "暂住",
    "租住",
    "租",
    "去到",
    "番",
    "翻",
    "前往",
    "身处",
    "老师",
];
/// A Chinese school's name is what comes before these.
const SCHOOL_ENDS: &str = "国际学校|特殊学校|中学校|小学|中学|幼稚园|幼儿园|书院|学校|学院";
/// Words naming no particular school (區內小學, 附近的中學).
const GENERIC_SCHOOLS: &[&str] = &[
    "区内",
    "附近",
    "同区",
    "本区",
    "邻近",
    "新",
    "一间",
    "一所",
    "另一间",
    "名校",
    "官立",
    "私立",
    "特殊",
    "主流",
    "国际",
];
/// Marks of a Chinese address: somewhere to live, or a street.
const ADDRESS_MARKS: &str = "邨村苑园厦楼街道路里巷径坊围屋阁轩台湾城座室号层";
/// Words that make the date next to them a date of birth.
const BIRTH_WORDS: &[&str] = &[
    "出生", "生于", "出世", "生日", "dob", "d.o.b", "born", "birth", "b.",
];
const BIRTH_REACH: usize = 14;

pub struct Detector {
    hkid: Regex,
    phone: Regex,
    date: Regex,
    zh_titled: Regex,
    zh_full: Regex,
    zh_ah: Regex,
    zh_familiar: Regex,
    zh_role: Regex,
    en_role: Regex,
    en_titled: Regex,
    en_surname_first: Regex,
    en_given_first: Regex,
    en_ah: Regex,
    en_given: Regex,
    places: Regex,
    zh_unit: Regex,
    en_address: Regex,
    address_tail: Regex,
    zh_school: Regex,
    en_school: Regex,
}

/// An identifier found, at character positions of the narrative.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: IdentifierKind,
    pub chars: Range<usize>,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("the identifier patterns compile")
}

impl Detector {
    pub fn new(folding: &OpenCC) -> Detector {
        let roles = folding.convert(ZH_ROLES);
        let surname = format!("(?:{COMPOUND_SURNAMES}|[{SURNAMES}])");
        let month = "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\\.?";
        let en_part = [
            r"(?:Flat|Room|Rm|Unit|Apt|Apartment)\.?\s*[A-Z0-9]{1,5}",
            r"\d{1,2}\s*/\s*F|[GgUuLl]/F|\d{1,2}(?:st|nd|rd|th)\s+[Ff]loor",
            r"(?:Block|Blk|Tower|Wing)\.?\s*[A-Z0-9]{1,3}",
            r"(?:No\.\s*)?\d{1,4}[A-Z]?(?:-\d{1,4})?\s+(?:[A-Z][a-z]+\s+){0,3}(?:Street|St|Road|Rd|Lane|Avenue|Ave|Path|Terrace|Drive|Square)\.?",
            r"(?:[A-Z][a-z]+\s+){1,4}(?:Estate|House|Court|Building|Bldg|Mansion|Mansions|Garden|Gardens|Centre|Center|Tower|Towers|Villa|Village|Plaza|Street|Road|Lane|Terrace)",
        ]
        .join("|");
        Detector {
            hkid: regex(r"[A-Z]{1,2}[0-9]{6}\s?(?:[(（]\s?[0-9A]\s?[)）]|[0-9A])?"),
            phone: regex(
                r"(?:\+\s?852[\s-]?|[(（]852[)）]\s?|852[\s-])?[2-9][0-9]{3}[\s-]?[0-9]{4}",
            ),
            date: regex(&format!(
                r"[〇零一二三四五六七八九]{{4}}年[一二三四五六七八九十]{{1,3}}月(?:[一二三四五六七八九十]{{1,3}}[日号])?|\d{{4}}\s*年\s*\d{{1,2}}\s*月(?:\s*\d{{1,2}}\s*[日号])?|\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{4}}[/.-]\d{{1,2}}[/.-]\d{{1,2}}|\d{{1,2}}(?:st|nd|rd|th)?\s+{month},?\s+\d{{4}}|{month}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}"
            )),
            zh_titled: regex(&format!("{surname}(?:{TITLES})")),
            zh_full: regex(&format!(r"{surname}\p{{Han}}{{1,2}}")),
            zh_ah: regex(&format!(r"阿(?:[A-Z][a-z]+|[^\P{{Han}}{KIN_AFTER_AH}])")),
            zh_familiar: regex(&format!("[老小]{surname}")),
            zh_role: regex(&format!(
                r"(?:{roles})(?:[（(]?[0-9]+岁[）)]?)?((?:{surname})\p{{Han}}{{1,2}}|\p{{Han}}{{2}}(?:[（(，,]|$)|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)"
            )),
            en_role: regex(&format!(
                r"(?-u:\b)(?i:{EN_ROLES})(?:,?\s+\(?\d+\)?,?)?\s+([A-Z][a-z]+(?:[\s-][A-Z][a-z]+)?)"
            )),
            en_titled: regex(
                r"(?-u:\b)(?:Mr|Mrs|Ms|Miss|Mdm|Madam|Dr|Master|Mister)\.?\s+[A-Z][A-Za-z'-]+(?:\s+[A-Z][a-z]+(?:-[a-z]+)?){0,2}",
            ),
            en_surname_first: regex(&format!(
                r"(?-u:\b)(?i:{ROMANISED_SURNAMES})(?-u:\b),?\s+[A-Z][a-z]+(?:-[A-Za-z][a-z]+)?(?:\s+[A-Z][a-z]+){{0,2}}"
            )),
            en_given_first: regex(&format!(
                r"(?-u:\b)[A-Z][a-z]{{2,}}\s+(?:{ROMANISED_SURNAMES})(?-u:\b)"
            )),
            en_ah: regex(r"(?-u:\b)Ah\s+[A-Z][a-z]+"),
            en_given: regex(&format!(r"(?-u:\b)(?:{GIVEN_NAMES})(?-u:\b)")),
            places: regex(&format!(r"(?-u:\b)(?:{PLACES})(?-u:\b)")),
            zh_unit: regex(
                r"[0-9]{1,4}\s*[A-Za-z]?\s*(?:号|楼|层|室|座)|[A-Za-z]\s*(?:室|座)|[0-9]{1,3}\s*/\s*[Ff]",
            ),
            en_address: regex(&format!(
                r"(?:{en_part})(?:,?\s+(?:{en_part}))*(?:,\s*(?:{PLACES}))*"
            )),
            address_tail: regex(r"^,\s*[A-Z][A-Za-z]*(?:\s+[A-Z][A-Za-z]*){0,3}"),
            zh_school: regex(SCHOOL_ENDS),
            en_school: regex(
                r"(?:[A-Z][A-Za-z'’.&-]*\s+(?:(?:of|the|and|&|de)\s+)?)+(?:Primary School|Secondary School|International School|College|Kindergarten|School|Academy|Nursery)",
            ),
        }
    }
}

/// The character just before, or at, a byte of the text.
fn beside(text: &str, byte: usize, before: bool) -> Option<char> {
    if before {
        text[..byte].chars().next_back()
    } else {
        text[byte..].chars().next()
    }
}

/// How far back from `end` a Chinese name of a place or school reaches: over Han letters
/// and digits, at most `reach` characters, after the last lead-in word.
fn name_start(text: &str, end: usize, reach: usize) -> usize {
    let mut start = end;
    for (count, (byte, c)) in text[..end].char_indices().rev().enumerate() {
        let fits = c.is_alphanumeric() && (!c.is_ascii() || c.is_ascii_alphanumeric());
        if count >= reach || !fits || c.is_ascii_lowercase() {
            break;
        }
        start = byte;
    }
    let lead = &text[start..end];
    let cut = LEAD_INS
        .iter()
        .filter_map(|word| lead.rfind(word).map(|at| at + word.len()))
        .max()
        .unwrap_or(0);
    start + cut
}

impl Language {
    /// Every identifier in the narrative; `known` are names the record holds (the case's
    /// people), found wherever they stand.
    pub fn identifiers(&self, narrative: &str, known: &[&str]) -> Vec<Found> {
        let folded = self.fold(narrative);
        let text = folded.folded.as_str();
        let at = Positions::of(text);
        let d = &self.detector;
        let mut found: Vec<(IdentifierKind, Range<usize>)> = Vec::new();
        let mut push = |kind, bytes: Range<usize>| found.push((kind, bytes));

        for m in d.hkid.find_iter(text) {
            let joined = |c: char| c.is_ascii_alphanumeric();
            if !beside(text, m.start(), true).is_some_and(joined)
                && !beside(text, m.end(), false).is_some_and(joined)
            {
                push(IdentifierKind::Hkid, m.range());
            }
        }
        for m in d.phone.find_iter(text) {
            let joined = beside(text, m.start(), true)
                .is_some_and(|c| c.is_ascii_alphanumeric() || c == '-' || c == '/');
            if !joined && !beside(text, m.end(), false).is_some_and(|c| c.is_ascii_digit()) {
                push(IdentifierKind::Phone, m.range());
            }
        }
        let lower = text.to_ascii_lowercase();
        for m in d.date.find_iter(text) {
            let from = text[..m.start()]
                .char_indices()
                .rev()
                .nth(BIRTH_REACH - 1)
                .map_or(0, |(byte, _)| byte);
            let to = text[m.end()..]
                .char_indices()
                .nth(6)
                .map_or(text.len(), |(byte, _)| m.end() + byte);
            let near = &lower[from..to];
            if BIRTH_WORDS.iter().any(|word| near.contains(word)) {
                push(IdentifierKind::DateOfBirth, m.range());
            }
        }
        for name in known.iter().map(|name| self.folding.convert(name.trim())) {
            if name.chars().count() >= 2 {
                for (start, _) in text.match_indices(&name) {
                    push(IdentifierKind::Name, start..start + name.len());
                }
            }
        }
        for pattern in [
            &d.zh_titled,
            &d.zh_ah,
            &d.zh_familiar,
            &d.en_titled,
            &d.en_ah,
        ] {
            for m in pattern.find_iter(text) {
                push(IdentifierKind::Name, m.range());
            }
        }
        for m in d.en_given.find_iter(text) {
            if !self.followed_by_institution(text, m.end()) && !text[m.end()..].starts_with("'s ") {
                push(IdentifierKind::Name, m.range());
            }
        }
        self.chinese_full_names(text, &mut push);
        for pattern in [&d.zh_role, &d.en_role] {
            for caps in pattern.captures_iter(text) {
                let name = caps.get(1).expect("the pattern captures a name");
                let trimmed = name.as_str().trim_end_matches(['（', '(', '，', ',']);
                let first_two: String = trimmed.chars().take(2).collect();
                let capitalised = trimmed.starts_with(|c: char| c.is_ascii_uppercase());
                let word = !capitalised && self.segmenter.has_word(&first_two);
                let role = capitalised
                    && NOT_GIVEN_NAMES.contains(&trimmed.split(' ').next().unwrap_or_default());
                if !word
                    && !role
                    && !self.followed_by_institution(text, name.start() + trimmed.len())
                {
                    push(
                        IdentifierKind::Name,
                        name.start()..name.start() + trimmed.len(),
                    );
                }
            }
        }
        let places: Vec<Range<usize>> = d.places.find_iter(text).map(|m| m.range()).collect();
        let in_place =
            |r: &Range<usize>| places.iter().any(|p| p.start <= r.start && r.start < p.end);
        for m in d.en_surname_first.find_iter(text) {
            if !in_place(&m.range()) && !self.followed_by_institution(text, m.end()) {
                push(IdentifierKind::Name, m.range());
            }
        }
        for m in d.en_given_first.find_iter(text) {
            let given = m.as_str().split_whitespace().next().unwrap_or_default();
            if !NOT_GIVEN_NAMES.contains(&given)
                && !in_place(&m.range())
                && !self.followed_by_institution(text, m.end())
            {
                push(IdentifierKind::Name, m.range());
            }
        }
        for m in d.en_address.find_iter(text) {
            let parts = m.as_str().matches(',').count() + 1;
            let numbered = m.as_str().chars().any(|c| c.is_ascii_digit());
            if parts >= 2 || numbered {
                // A building without a street word ends it: Block 3, City One Shatin.
                let tail = d.address_tail.find(&text[m.end()..]).map_or(0, |t| t.end());
                push(IdentifierKind::Address, m.start()..m.end() + tail);
            }
        }
        self.chinese_addresses(text, &mut push);
        for m in d.zh_school.find_iter(text) {
            let start = name_start(text, m.start(), 16);
            let own = &text[start..m.start()];
            // 小學生 is a pupil, not a school.
            let pupil = text[m.end()..].starts_with('生');
            if own.chars().count() >= 2
                && !pupil
                && !GENERIC_SCHOOLS.iter().any(|g| own.starts_with(g))
            {
                push(IdentifierKind::School, start..m.end());
            }
        }
        for m in d.en_school.find_iter(text) {
            let mut start = m.start();
            for word in m.as_str().split_whitespace() {
                if NOT_GIVEN_NAMES.contains(&word) || word.ends_with("'s") {
                    start += m.as_str()[start - m.start()..].find(word).unwrap_or(0) + word.len();
                    start += text[start..].len() - text[start..].trim_start().len();
                } else {
                    break;
                }
            }
            let own = &text[start..m.end()];
            if own.split_whitespace().count() >= 2 {
                push(IdentifierKind::School, start..m.end());
            }
        }
        merged(
            found
                .into_iter()
                .map(|(kind, bytes)| (kind, at.chars(bytes)))
                .collect(),
        )
    }

    /// Whether the name found ends at, or takes in, a word of an institution.
    fn followed_by_institution(&self, text: &str, end: usize) -> bool {
        let start = text[..end]
            .char_indices()
            .rev()
            .find(|(_, c)| !c.is_ascii())
            .map_or(0, |(at, c)| at + c.len_utf8());
        let words = text[start..end].split_whitespace();
        let next = text[end..].split_whitespace().next().into_iter();
        words
            .skip(1)
            .chain(next)
            .any(|word| INSTITUTIONS.iter().any(|inst| word.starts_with(inst)))
    }

    /// 陳大文: a surname and a given name the segmenter does not know as a word.
    fn chinese_full_names(&self, text: &str, push: &mut impl FnMut(IdentifierKind, Range<usize>)) {
        let tagged = self.segmenter.tag(text, true);
        let mut byte = 0;
        for tag in tagged {
            let range = byte..byte + tag.word.len();
            byte = range.end;
            let is_name = tag.tag.starts_with("nr")
                && self
                    .detector
                    .zh_full
                    .find(tag.word)
                    .is_some_and(|m| m.start() == 0);
            if is_name && (2..=4).contains(&tag.word.chars().count()) {
                push(IdentifierKind::Name, range);
            }
        }
    }

    /// 深水埗福榮街123號4樓B室: runs of unit numbers (號, 樓, 室, 座), with the estate,
    /// building or street before them.
    fn chinese_addresses(&self, text: &str, push: &mut impl FnMut(IdentifierKind, Range<usize>)) {
        let units: Vec<Range<usize>> = self
            .detector
            .zh_unit
            .find_iter(text)
            .map(|m| m.range())
            .collect();
        let mut index = 0;
        while index < units.len() {
            let first = units[index].clone();
            let mut end = first.end;
            let mut count = 1;
            while let Some(next) = units.get(index + count) {
                let gap = &text[end..next.start];
                let joins = gap.chars().count() <= 6
                    && gap
                        .chars()
                        .all(|c| !c.is_ascii_punctuation() && (c.is_alphanumeric() || c == ' '))
                    && !gap.contains(['，', '。']);
                if !joins {
                    break;
                }
                end = next.end;
                count += 1;
            }
            index += count;
            let start = name_start(text, first.start, 20);
            let lead = &text[start..first.start];
            let marked = lead.chars().any(|c| ADDRESS_MARKS.contains(c));
            if (marked && lead.chars().count() >= 2) || count >= 2 {
                push(IdentifierKind::Address, start..end);
            }
        }
    }

    /// The narrative with every identifier replaced by its placeholder.
    pub fn deidentify(&self, narrative: &str, known: &[&str]) -> String {
        let positions = Positions::of(narrative);
        let mut out = String::with_capacity(narrative.len());
        let mut next = 0;
        for found in self.identifiers(narrative, known) {
            out.push_str(&narrative[positions.bytes(next..found.chars.start)]);
            out.push_str(found.kind.placeholder());
            next = found.chars.end;
        }
        out.push_str(&narrative[positions.bytes(next..positions.char_count())]);
        out
    }
}

/// Overlapping finds become one, of the kind that covered most of it.
fn merged(mut found: Vec<(IdentifierKind, Range<usize>)>) -> Vec<Found> {
    found.retain(|(_, chars)| !chars.is_empty());
    found.sort_by_key(|(_, chars)| (chars.start, std::cmp::Reverse(chars.end)));
    let mut out: Vec<(Found, usize)> = Vec::new();
    for (kind, chars) in found {
        let len = chars.len();
        match out.last_mut() {
            Some((last, widest)) if chars.start < last.chars.end => {
                if len > *widest {
                    last.kind = kind;
                    *widest = len;
                }
                last.chars.end = last.chars.end.max(chars.end);
            }
            _ => out.push((Found { kind, chars }, len)),
        }
    }
    out.into_iter().map(|(found, _)| found).collect()
}

#[cfg(test)]
mod tests {
    use common::language::IdentifierKind;

    use crate::language::language;

    fn kinds(text: &str) -> Vec<(IdentifierKind, String)> {
        let chars: Vec<char> = text.chars().collect();
        language()
            .identifiers(text, &[])
            .into_iter()
            .map(|f| (f.kind, chars[f.chars].iter().collect()))
            .collect()
    }

    #[test]
    fn numbers_are_found_in_their_usual_forms() {
        let found = kinds("案主陳太（身份證 A123456(3)）電話 9123 4567，另 +852 2345-6789。個案編號 IFS-2026-00123，綜援 $3,500。");
        assert!(
            found.contains(&(IdentifierKind::Hkid, "A123456(3)".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(IdentifierKind::Phone, "9123 4567".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(IdentifierKind::Phone, "+852 2345-6789".into())),
            "{found:?}"
        );
        assert!(
            found.contains(&(IdentifierKind::Name, "陳太".into())),
            "{found:?}"
        );
        assert!(
            !found.iter().any(|(_, text)| text.contains("2026")),
            "{found:?}"
        );
    }

    #[test]
    fn a_date_is_a_date_of_birth_only_beside_a_word_of_birth() {
        let found = kinds("兒子出生日期為2015年3月2日，下次面談定於2026年12月8日。");
        assert_eq!(
            found
                .iter()
                .filter(|(kind, _)| *kind == IdentifierKind::DateOfBirth)
                .count(),
            1,
            "{found:?}"
        );
        assert!(kinds("Son (DOB: 02/03/2015) attends school.")
            .iter()
            .any(|(kind, _)| *kind == IdentifierKind::DateOfBirth));
    }

    #[test]
    fn addresses_schools_and_names_are_replaced() {
        let out = language().deidentify(
            "Mrs Chan lives at Flat 1203, Mei Pak House, Shek Kip Mei Estate; her son attends SKH St James' Primary School. 案主住在深水埗福榮街123號4樓B室，女兒就讀聖公會聖雅各小學。",
            &[],
        );
        assert_eq!(
            out,
            "[NAME] lives at [ADDRESS]; her son attends [SCHOOL]. 案主住在[ADDRESS]，女兒就讀[SCHOOL]。"
        );
    }

    #[test]
    fn a_known_name_is_found_in_either_script() {
        let found = language().identifiers("明天與陈大文會面", &["陳大文"]);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].chars, 3..6);
    }
}
