//! What the synthetic data is made of: Hong Kong names with their Government
//! romanisations, places, and the narrative of notes, goals, reviews and referrals in
//! Chinese and English. `{client}`, `{member}` and `{nature}` are filled in per case.

use common::activities::{ActivityFormat, TargetGroup};
use common::case_notes::ContactType;
use common::cases::ClosureReason;
use common::hub::{Audience, ResourceFactor, ResourceType};
use common::person::{Ethnicity, Language};
use common::referrals::ServiceType;

/// Common Hong Kong surnames, their romanisation and a relative frequency.
pub const SURNAMES: &[(&str, &str, u32)] = &[
    ("陳", "CHAN", 100),
    ("李", "LEE", 70),
    ("黃", "WONG", 60),
    ("張", "CHEUNG", 50),
    ("梁", "LEUNG", 40),
    ("何", "HO", 30),
    ("劉", "LAU", 30),
    ("林", "LAM", 30),
    ("吳", "NG", 25),
    ("王", "WONG", 20),
    ("鄭", "CHENG", 20),
    ("楊", "YEUNG", 20),
    ("郭", "KWOK", 15),
    ("馮", "FUNG", 15),
    ("曾", "TSANG", 15),
    ("羅", "LAW", 15),
    ("周", "CHOW", 15),
    ("蔡", "CHOI", 12),
    ("謝", "TSE", 12),
    ("鄧", "TANG", 12),
    ("葉", "YIP", 12),
    ("麥", "MAK", 12),
    ("許", "HUI", 10),
    ("朱", "CHU", 10),
    ("盧", "LO", 10),
    ("譚", "TAM", 10),
    ("蕭", "SIU", 8),
    ("潘", "POON", 8),
    ("袁", "YUEN", 8),
    ("余", "YU", 8),
    ("蘇", "SO", 8),
    ("胡", "WU", 8),
    ("馬", "MA", 8),
    ("鍾", "CHUNG", 8),
    ("彭", "PANG", 6),
    ("徐", "TSUI", 6),
    ("廖", "LIU", 6),
    ("關", "KWAN", 6),
    ("莫", "MOK", 6),
    ("區", "AU", 5),
    ("岑", "SHUM", 4),
    ("孫", "SUEN", 4),
    ("姚", "YIU", 4),
    ("歐陽", "AU YEUNG", 2),
];

/// Characters of men's given names, with their romanisation.
pub const GIVEN_M: &[(&str, &str)] = &[
    ("志", "Chi"),
    ("偉", "Wai"),
    ("國", "Kwok"),
    ("強", "Keung"),
    ("明", "Ming"),
    ("華", "Wah"),
    ("文", "Man"),
    ("家", "Ka"),
    ("俊", "Chun"),
    ("傑", "Kit"),
    ("豪", "Ho"),
    ("浩", "Ho"),
    ("軒", "Hin"),
    ("子", "Tsz"),
    ("健", "Kin"),
    ("輝", "Fai"),
    ("德", "Tak"),
    ("永", "Wing"),
    ("達", "Tat"),
    ("雄", "Hung"),
    ("基", "Kei"),
    ("光", "Kwong"),
    ("耀", "Yiu"),
    ("天", "Tin"),
    ("宇", "Yu"),
    ("卓", "Cheuk"),
    ("朗", "Long"),
    ("樂", "Lok"),
    ("梓", "Tsz"),
    ("希", "Hei"),
    ("兆", "Siu"),
    ("振", "Chun"),
    ("錦", "Kam"),
    ("建", "Kin"),
    ("啟", "Kai"),
    ("智", "Chi"),
];

/// Characters of women's given names, with their romanisation.
pub const GIVEN_F: &[(&str, &str)] = &[
    ("美", "Mei"),
    ("玲", "Ling"),
    ("麗", "Lai"),
    ("芬", "Fan"),
    ("秀", "Sau"),
    ("英", "Ying"),
    ("淑", "Suk"),
    ("儀", "Yee"),
    ("嘉", "Ka"),
    ("欣", "Yan"),
    ("詠", "Wing"),
    ("思", "Sze"),
    ("慧", "Wai"),
    ("敏", "Man"),
    ("婷", "Ting"),
    ("穎", "Wing"),
    ("琪", "Kei"),
    ("寶", "Po"),
    ("玉", "Yuk"),
    ("珍", "Chun"),
    ("鳳", "Fung"),
    ("蓮", "Lin"),
    ("晴", "Ching"),
    ("心", "Sum"),
    ("曉", "Hiu"),
    ("雅", "Nga"),
    ("詩", "Sze"),
    ("燕", "Yin"),
    ("翠", "Chui"),
    ("佩", "Pui"),
    ("碧", "Pik"),
    ("潔", "Kit"),
];

/// English names many born since the 1970s also use.
pub const ALIASES_M: &[&str] = &[
    "Peter", "David", "Michael", "Jason", "Kelvin", "Eric", "Alan", "Tony", "Kenneth", "Raymond",
    "Calvin", "Ivan", "Vincent", "Ryan", "Ethan", "Lucas",
];
pub const ALIASES_F: &[&str] = &[
    "Mary", "Carmen", "Winnie", "Cherry", "Karen", "Joyce", "Vivian", "Jenny", "Fiona", "Queenie",
    "Chloe", "Hailey", "Emily", "Sharon", "Ivy", "Kitty",
];

/// Ethnic-minority families: group, language, surnames, men's and women's given names.
pub struct Minority {
    pub ethnicity: Ethnicity,
    pub language: Language,
    pub surnames: &'static [&'static str],
    pub men: &'static [&'static str],
    pub women: &'static [&'static str],
}

pub const MINORITIES: &[Minority] = &[
    Minority {
        ethnicity: Ethnicity::Pakistani,
        language: Language::Urdu,
        surnames: &["KHAN", "AHMED", "HUSSAIN", "ALI", "IQBAL"],
        men: &["Muhammad", "Imran", "Bilal", "Usman", "Hamza"],
        women: &["Ayesha", "Fatima", "Sana", "Hina", "Zainab"],
    },
    Minority {
        ethnicity: Ethnicity::Nepalese,
        language: Language::Nepali,
        surnames: &["GURUNG", "RAI", "LIMBU", "TAMANG", "THAPA"],
        men: &["Bishnu", "Kamal", "Prakash", "Suman", "Dipesh"],
        women: &["Sita", "Anita", "Sunita", "Puja", "Maya"],
    },
    Minority {
        ethnicity: Ethnicity::Indian,
        language: Language::Hindi,
        surnames: &["SINGH", "KAUR", "SHARMA", "PATEL", "GILL"],
        men: &["Harpreet", "Rajesh", "Amit", "Gurpreet", "Vikram"],
        women: &["Priya", "Simran", "Neha", "Manpreet", "Pooja"],
    },
    Minority {
        ethnicity: Ethnicity::Filipino,
        language: Language::Tagalog,
        surnames: &["SANTOS", "REYES", "CRUZ", "BAUTISTA", "GARCIA"],
        men: &["Jose", "Mark", "John Paul", "Rommel", "Carlo"],
        women: &["Maria", "Angelica", "Rosalie", "Jocelyn", "Mary Ann"],
    },
];

/// Ordinary buildings' names, found in every district.
pub const BUILDINGS: &[&str] = &[
    "富華大廈",
    "嘉景樓",
    "康樂樓",
    "海景閣",
    "明德樓",
    "安泰樓",
    "祥和苑",
    "金輝大廈",
    "幸福樓",
    "華富樓",
    "新興大廈",
    "翠林樓",
];

pub const AGENCIES_SERVED_BY: &[(ServiceType, &str)] = &[
    (ServiceType::Swd, "社會福利署 Social Welfare Department"),
    (
        ServiceType::ClinicalPsychology,
        "社會福利署臨床心理服務 SWD Clinical Psychology",
    ),
    (
        ServiceType::MedicalSocialService,
        "醫務社會服務部 Medical Social Services",
    ),
    (
        ServiceType::SchoolSocialWork,
        "學校社會工作服務 School Social Work",
    ),
    (ServiceType::Housing, "房屋署 Housing Department"),
    (ServiceType::LegalAid, "法律援助署 Legal Aid Department"),
    (ServiceType::Employment, "勞工處 Labour Department"),
    (
        ServiceType::ChildCare,
        "鄰里支援幼兒照顧計劃 Neighbourhood Support Child Care",
    ),
    (
        ServiceType::Elderly,
        "長者地區中心 District Elderly Community Centre",
    ),
    (ServiceType::MentalHealth, "精神健康綜合社區中心 ICCMW"),
];

/// A note's template: how the contact took place, its Chinese and English narrative.
/// Corrections a worker appends to a note after its edit window, and why: each in Chinese
/// and English, since a correction may go with a note in either.
pub const CORRECTIONS: &[(&str, &str)] = &[
    (
        "更正：會面改於中心面談室進行，並非家訪。Correction: the meeting took place in the centre's interview room, not at home.",
        "地點記錄有誤 Place recorded wrongly",
    ),
    (
        "更正：陪同出席的是案主的姐姐，不是母親。Correction: the client's sister came along, not her mother.",
        "出席者記錄有誤 Wrong person recorded",
    ),
    (
        "補充：已於翌日致電學校社工跟進。Addendum: the school social worker was phoned the next day to follow up.",
        "補充跟進 Follow-up added",
    ),
    (
        "更正：綜援申請已遞交，尚待社署回覆。Correction: the CSSA application has been submitted and awaits SWD's reply.",
        "狀況已更新 Status brought up to date",
    ),
];

pub const NOTES: &[(ContactType, &str, &str)] = &[
    (
        ContactType::OfficeInterview,
        "與{client}面談，了解近況。案主表示{nature}的情況仍然困擾家庭，情緒較上次平穩。社工與案主檢視應對方法，並約定下次面談。",
        "Met {client} at the centre. {client} reported continuing stress about {nature}; mood appeared more settled than at the last session. Reviewed coping strategies and agreed the next appointment.",
    ),
    (
        ContactType::HomeVisit,
        "家訪{client}，其{member}亦在場。家居環境尚算整潔。雙方就{nature}各自表達看法，社工協助彼此聆聽，氣氛較前緩和。",
        "Home visit to {client}; their {member} was present. The flat was reasonably kept. Each described the situation around {nature}; the worker helped them listen to each other and the atmosphere eased.",
    ),
    (
        ContactType::Phone,
        "電話聯絡{client}，跟進上次面談所定的目標。案主表示已嘗試新的溝通方法，但仍感到壓力，同意下星期再面談。",
        "Phone follow-up with {client} on the goals set last session. Some progress with the new way of talking things through, still under pressure; agreed to meet next week.",
    ),
    (
        ContactType::OfficeInterview,
        "{client}到中心求助，主要關注{nature}。社工進行初步評估，解釋服務內容及保密原則，案主同意接受跟進。",
        "{client} came to the centre for help, mainly about {nature}. Initial assessment done; services and confidentiality explained; {client} agreed to follow-up.",
    ),
    (
        ContactType::CollateralContact,
        "與學校社工聯絡，了解{client}子女的在校情況。學校反映近期出席率下降，雙方同意加強溝通，留意孩子情緒。",
        "Collateral contact with the school social worker about {client}'s child. Attendance has dropped lately; agreed to keep in touch and watch for signs of distress.",
    ),
    (
        ContactType::CaseConference,
        "個案會議：與相關專業人員討論{client}一家的需要，就{nature}訂定分工及跟進計劃。",
        "Case conference with the professionals involved in {client}'s family: roles agreed for the needs around {nature}.",
    ),
    (
        ContactType::Supervision,
        "督導：與督導檢視本個案進展，評估風險屬低至中度，同意維持每兩星期面談一次。",
        "Supervision: reviewed the progress of the case; risk assessed as low to moderate; fortnightly sessions to continue.",
    ),
    (
        ContactType::OfficeInterview,
        "協助{client}申請綜援及房屋相關資源，已預備所需文件，稍後跟進申請結果。",
        "Helped {client} prepare the documents for a CSSA and housing application; will follow up the outcome.",
    ),
    (
        ContactType::Phone,
        "{client}表示經濟壓力沉重，社工轉介慈善基金，並提供食物銀行資料。",
        "{client} said money is very tight; the worker referred the family to a charitable fund and gave food bank details.",
    ),
    (
        ContactType::OnlineVideo,
        "視像面談：{client}與{member}一同參與，練習以平和語氣表達需要。雙方同意在家中試行每週家庭時間。",
        "Video session with {client} and their {member}: practised stating needs calmly. Both agreed to try a weekly family time at home.",
    ),
    (
        ContactType::HomeVisit,
        "家訪：{member}身體轉差，{client}照顧壓力大。社工介紹社區支援服務，並安排暫托資料。",
        "Home visit: the {member}'s health has worsened and {client} is strained by the caring. Community support services and respite options explained.",
    ),
    (
        ContactType::OfficeInterview,
        "與{client}檢視服務成效，案主認為{nature}已有改善，家人關係亦較融洽。",
        "Reviewed the service with {client}, who feels {nature} has eased and family relations have improved.",
    ),
];

/// Goals of a case plan.
pub const GOALS: &[(&str, &str)] = &[
    (
        "改善夫婦溝通，減少衝突",
        "Better communication between the couple, fewer conflicts",
    ),
    ("建立一致的管教方法", "A consistent approach to discipline"),
    (
        "穩定情緒，學習減壓方法",
        "Steadier mood and ways to manage stress",
    ),
    (
        "申請合適的經濟援助",
        "Apply for suitable financial assistance",
    ),
    (
        "改善居住環境，跟進住屋申請",
        "Better housing: follow the housing application",
    ),
    ("建立社區支援網絡", "A network of support in the community"),
    ("確保家庭成員安全", "Every member of the family safe"),
    ("減輕照顧者壓力", "Less strain on the carer"),
];

pub const REVIEWS: &[(&str, &str)] = &[
    (
        "目標進展理想，維持現有計劃。",
        "Goals progressing well; the plan continues.",
    ),
    (
        "部分目標仍需努力，調整面談次數。",
        "Some goals need more work; sessions adjusted.",
    ),
    (
        "家庭出現新壓力，加入新的目標。",
        "New stress in the family; a goal added.",
    ),
    (
        "案主投入度下降，需加強聯繫。",
        "Engagement has dropped; contact to be stepped up.",
    ),
];

pub const CLOSING: &[(&str, &str)] = &[
    (
        "服務目標大致達成，家庭功能回復穩定。",
        "Service goals largely met; the family is managing.",
    ),
    (
        "案主表示暫無需要，如有需要會再聯絡中心。",
        "The client needs no further service for now and will contact us if needed.",
    ),
    (
        "已轉介合適服務跟進。",
        "Referred to a suitable service for follow-up.",
    ),
    (
        "多次聯絡未果，結束個案。",
        "Several attempts to reach the client failed; case closed.",
    ),
];

pub const REACTIVATION: &[&str] = &[
    "案主再次求助 The client asked for help again",
    "家庭出現新危機 A new crisis in the family",
    "學校轉介再跟進 The school asked us to follow up again",
];

pub const REFERRAL_REASONS: &[(&str, &str)] = &[
    (
        "需要專業評估及治療",
        "Needs a specialist assessment and treatment",
    ),
    ("需要經濟及住屋支援", "Needs financial and housing support"),
    ("需要照顧服務", "Needs care services"),
    ("需要就業支援", "Needs help finding work"),
];

pub const INFO_SHARED: &str =
    "基本資料、家庭背景及評估摘要 Personal particulars, family background and assessment summary";
pub const CONSENT_SCOPE: &str =
    "向接收機構提供轉介所需資料 Sharing what the receiving service needs";

/// The closure reasons' relative frequency.
pub const CLOSURE_REASONS: &[(ClosureReason, u32)] = &[
    (ClosureReason::GoalsAchieved, 35),
    (ClosureReason::NoFurtherServiceNeeded, 25),
    (ClosureReason::ClientWithdrew, 10),
    (ClosureReason::LostContact, 10),
    (ClosureReason::MovedAway, 5),
    (ClosureReason::ReferredElsewhere, 10),
    (ClosureReason::Deceased, 1),
    (ClosureReason::Other, 4),
];

/// The case natures' relative frequency (codes of the taxonomy in the migrations).
pub const NATURES: &[(&str, u32)] = &[
    ("parent_child", 20),
    ("marital_conflict", 18),
    ("emotional", 15),
    ("financial", 12),
    ("housing", 8),
    ("divorce_custody", 8),
    ("child_care", 6),
    ("caregiving", 6),
    ("mental_illness", 5),
    ("health_disability", 4),
    ("spouse_battering", 4),
    ("new_arrival_adjustment", 4),
    ("employment", 4),
    ("in_law_conflict", 3),
    ("child_abuse", 2),
    ("suicide_risk", 2),
    ("addiction_gambling", 2),
    ("legal", 2),
    ("elder_abuse", 1),
    ("sexual_violence", 1),
];

/// Natures that make a case sensitive: violence and abuse.
pub const SENSITIVE_NATURES: &[&str] = &[
    "spouse_battering",
    "child_abuse",
    "elder_abuse",
    "sexual_violence",
];

/// The twelve agencies: code, Chinese and English names (the first two are the demo's).
pub const AGENCIES: &[(&str, &str, &str)] = &[
    ("HFS", "海港家庭服務協會", "Harbour Family Services"),
    ("LRC", "獅子山社區關懷", "Lion Rock Community Care"),
    (
        "KFA",
        "九龍家庭福利會",
        "Kowloon Family Welfare Association",
    ),
    (
        "NTC",
        "新界社會服務中心",
        "New Territories Social Service Centre",
    ),
    ("VHS", "維港協康會", "Victoria Harbour Wellbeing Society"),
    ("GLS", "恩光社會服務", "Grace Light Social Service"),
    ("CCF", "社區關愛基金會", "Community Care Foundation"),
    ("SHA", "聖希望服務處", "St Hope Service Agency"),
    ("PLF", "蒲公英家庭中心", "Dandelion Family Network"),
    ("HKC", "香江基督教服務", "Hong Kong Christian Care"),
    ("TMW", "同心會", "Together We Care"),
    ("BRS", "長橋社會服務", "Bridge Social Services"),
];

/// The 22 centres beside the demo's four: agency, code suffix, district letter and place
/// (Chinese, English), so that all 18 districts are served and the populous ones twice.
pub const CENTRES: &[(&str, &str, &str, &str, &str)] = &[
    ("KFA", "YMT", "E", "油麻地", "Yau Ma Tei"),
    ("KFA", "KC", "G", "九龍城", "Kowloon City"),
    ("KFA", "WTS", "H", "黃大仙", "Wong Tai Sin"),
    ("NTC", "YL", "M", "元朗", "Yuen Long"),
    ("NTC", "TSW", "M", "天水圍", "Tin Shui Wai"),
    ("NTC", "TM", "L", "屯門", "Tuen Mun"),
    ("VHS", "SYP", "A", "西營盤", "Sai Ying Pun"),
    ("VHS", "WC", "B", "灣仔", "Wan Chai"),
    ("GLS", "NP", "C", "北角", "North Point"),
    ("GLS", "CW", "C", "柴灣", "Chai Wan"),
    ("CCF", "ABD", "D", "香港仔", "Aberdeen"),
    ("CCF", "SMP", "J", "秀茂坪", "Sau Mau Ping"),
    ("SHA", "TW", "K", "荃灣", "Tsuen Wan"),
    ("SHA", "KWC", "S", "葵涌", "Kwai Chung"),
    ("PLF", "SS", "N", "上水", "Sheung Shui"),
    ("PLF", "TP", "P", "大埔", "Tai Po"),
    ("HKC", "SK", "Q", "西貢", "Sai Kung"),
    ("HKC", "TKO", "Q", "將軍澳", "Tseung Kwan O"),
    ("TMW", "TY", "S", "青衣", "Tsing Yi"),
    ("TMW", "SH", "L", "兆康", "Siu Hong"),
    ("BRS", "CSW", "F", "長沙灣", "Cheung Sha Wan"),
    ("BRS", "TWS", "H", "慈雲山", "Tsz Wan Shan"),
];

/// Family life education themes (codes of the list the migration seeds).
pub const EDUCATION_THEMES: &[&str] = &[
    "marriage_preparation",
    "marital_enrichment",
    "parent_education",
    "child_development",
    "adolescent_development",
    "intergenerational",
    "violence_prevention",
    "stress_emotion",
    "mental_wellness",
    "family_finance",
    "family_values",
    "community_resources",
];

/// Groups a centre runs: titles, format, for whom.
pub const GROUPS: &[(&str, &str, ActivityFormat, TargetGroup)] = &[
    (
        "家長情緒支援小組",
        "Parents' emotional support group",
        ActivityFormat::SupportGroup,
        TargetGroup::Parents,
    ),
    (
        "正向管教家長小組",
        "Positive discipline parents' group",
        ActivityFormat::EducationalGroup,
        TargetGroup::Parents,
    ),
    (
        "單親家長互助小組",
        "Single parents' mutual aid group",
        ActivityFormat::SupportGroup,
        TargetGroup::Parents,
    ),
    (
        "新來港婦女適應小組",
        "New arrival women's adjustment group",
        ActivityFormat::DevelopmentalGroup,
        TargetGroup::NewArrivals,
    ),
    (
        "青少年情緒管理小組",
        "Teenagers' emotion management group",
        ActivityFormat::TherapeuticGroup,
        TargetGroup::Adolescents,
    ),
    (
        "兒童社交技巧小組",
        "Children's social skills group",
        ActivityFormat::DevelopmentalGroup,
        TargetGroup::Children,
    ),
    (
        "夫婦溝通小組",
        "Couples' communication group",
        ActivityFormat::EducationalGroup,
        TargetGroup::Couples,
    ),
    (
        "照顧者減壓小組",
        "Carers' stress relief group",
        ActivityFormat::SupportGroup,
        TargetGroup::Carers,
    ),
    (
        "長者健樂小組",
        "Elders' wellbeing group",
        ActivityFormat::RecreationalGroup,
        TargetGroup::Elders,
    ),
    (
        "少數族裔家長小組",
        "Ethnic minority parents' group",
        ActivityFormat::SupportGroup,
        TargetGroup::EthnicMinorities,
    ),
];

/// One-off programmes.
pub const PROGRAMMES: &[(&str, &str, ActivityFormat, TargetGroup)] = &[
    (
        "認識兒童焦慮講座",
        "Talk: understanding children's anxiety",
        ActivityFormat::Talk,
        TargetGroup::Parents,
    ),
    (
        "家庭理財工作坊",
        "Family budgeting workshop",
        ActivityFormat::Workshop,
        TargetGroup::Families,
    ),
    (
        "預防家庭暴力講座",
        "Talk: preventing family violence",
        ActivityFormat::Talk,
        TargetGroup::GeneralPublic,
    ),
    (
        "親子烘焙工作坊",
        "Parent-child baking workshop",
        ActivityFormat::Workshop,
        TargetGroup::Families,
    ),
    (
        "升小家長講座",
        "Talk: starting primary school",
        ActivityFormat::Seminar,
        TargetGroup::Parents,
    ),
    (
        "家庭郊遊日",
        "Family outing day",
        ActivityFormat::Outing,
        TargetGroup::Families,
    ),
    (
        "精神健康展覽",
        "Mental health exhibition",
        ActivityFormat::Exhibition,
        TargetGroup::GeneralPublic,
    ),
    (
        "社區親子嘉年華",
        "Community family carnival",
        ActivityFormat::Carnival,
        TargetGroup::Families,
    ),
];

/// Community events and campaigns.
pub const EVENTS: &[(&str, &str, ActivityFormat)] = &[
    ("家庭同樂日", "Family fun day", ActivityFormat::FamilyFunDay),
    (
        "愛家社區大匯演",
        "Love your family community show",
        ActivityFormat::FlagshipEvent,
    ),
    (
        "「家是我們的避風港」網上宣傳",
        "\"Home is our haven\" online campaign",
        ActivityFormat::SocialMediaCampaign,
    ),
    (
        "家庭服務記者會",
        "Press event on family services",
        ActivityFormat::PressEvent,
    ),
    (
        "電台訪問：家庭壓力",
        "Radio interview: family stress",
        ActivityFormat::MediaInterview,
    ),
];

pub const VENUES: &[&str] = &[
    "活動室一 Activity Room 1",
    "活動室二 Activity Room 2",
    "小組室 Group Room",
    "禮堂 Hall",
];

pub const VOLUNTEERS: &[&str] = &["義工 陳太", "義工 李先生", "義工 Mandy", "義工 黃姑娘"];

pub const WITHDRAWAL_REASONS: &[&str] = &[
    "轉了工作時間 Working hours changed",
    "家人生病要照顧 Caring for a sick family member",
    "搬離本區 Moved out of the district",
    "身體不適 Unwell",
];

/// A subject of i-Hub's shelf: the case natures it is filed under, the factors and
/// audiences it serves, and the words its resources are made of (titles, summaries, and
/// paragraphs for the text of their files), in Chinese and English.
pub struct HubTheme {
    pub topics: &'static [&'static str],
    pub factors: &'static [ResourceFactor],
    pub audiences: &'static [Audience],
    pub titles: &'static [(&'static str, &'static str)],
    pub summaries: &'static [(&'static str, &'static str)],
    pub paragraphs: &'static [(&'static str, &'static str)],
}

pub const HUB_THEMES: &[HubTheme] = {
    use Audience::*;
    use ResourceFactor::*;
    &[
        HubTheme {
            topics: &["parent_child", "child_care"],
            factors: &[ParentingStress, ParentingSkills, FamilyCohesion, Communication],
            audiences: &[Parents, SocialWorkers, Children],
            titles: &[
                ("正面管教", "Positive discipline"),
                ("親子溝通", "Parent-child communication"),
                ("家長壓力管理", "Managing parenting stress"),
                ("幼兒情緒教養", "Emotion coaching for young children"),
            ],
            summaries: &[
                ("協助家長以鼓勵代替責罵，建立清晰一致的家規，並在衝突時保持冷靜。", "Helps parents replace scolding with encouragement, keep clear and consistent house rules, and stay calm in a conflict."),
                ("讓社工與家長一同檢視日常管教的難處，練習聆聽子女的感受。", "Lets workers and parents look at the hard moments of daily parenting together and practise listening to a child's feelings."),
                ("以小組形式介紹壓力的來源與舒緩方法，適合雙職及單親家長。", "Introduces where parenting stress comes from and how to ease it, in a group format suited to working and single parents."),
            ],
            paragraphs: &[
                ("家長在功課時間常與子女爭執。建議先訂下固定的溫習時間和地方，完成後給予具體的稱讚，例如「你今天自己先做完數學，很專心」。", "Homework time is where many parents and children argue. Agree a fixed time and place for study first, and praise specific effort afterwards, such as \"you finished your maths on your own today, you really focused\"."),
                ("當子女發脾氣時，家長可先處理情緒，再處理事情：蹲下來平視孩子，說出你看到的感受，等孩子平靜後才討論規則。", "When a child has a tantrum, deal with the feeling before the problem: get down to the child's eye level, name the feeling you see, and talk about the rule only once the child is calm."),
                ("練習一：寫下本星期三次你對子女說「不」的情境，想一想當時可否給予兩個選擇，讓孩子學習負責。", "Exercise one: write down three times this week you said \"no\" to your child, and think whether you could have offered two choices instead, so the child learns to take responsibility."),
                ("家長照顧好自己，才有力量照顧子女。每天留十五分鐘給自己，例如散步、聽音樂或與朋友傾談，有助減輕管教壓力。", "Parents who look after themselves have the strength to look after their children. Fifteen minutes a day of your own, a walk, music or a talk with a friend, eases the stress of parenting."),
                ("社工可在家訪時觀察親子互動，記錄家長的強項，並在面談中回饋，增強家長的信心。", "On a home visit the worker can watch how parent and child interact, note the parent's strengths, and feed them back in the next session to build the parent's confidence."),
            ],
        },
        HubTheme {
            topics: &["spouse_battering", "marital_conflict", "sexual_violence"],
            factors: &[FamilyViolence, MaritalConflict, Trauma, HelpSeeking, SocialSupport],
            audiences: &[SocialWorkers, Supervisors, Couples],
            titles: &[
                ("家庭暴力安全計劃", "Family violence safety planning"),
                ("親密伴侶暴力風險評估", "Intimate partner violence risk assessment"),
                ("施虐者介入", "Working with abusive partners"),
                ("受虐婦女支援", "Supporting women who are abused"),
            ],
            summaries: &[
                ("為處理家庭暴力個案的社工而設，協助受害人訂立緊急聯絡人、安全地方及離開計劃。", "For workers on family violence cases: helps a survivor set emergency contacts, safe places and a plan to leave."),
                ("整理香港常用的風險因素，並說明何時需要即時轉介及啟動保護程序。", "Sets out the risk factors used in Hong Kong and when to refer at once and start protective procedures."),
                ("介紹以認知行為方法處理憤怒及控制行為的小組內容與評估工具。", "Introduces group content and assessment tools using cognitive-behavioural methods for anger and controlling behaviour."),
            ],
            paragraphs: &[
                ("安全計劃應包括：可信任的聯絡人、重要文件副本（身份證、出世紙、銀行資料）、緊急時可前往的地方，以及與子女約定的暗號。", "A safety plan covers trusted contacts, copies of important papers (identity cards, birth certificates, bank details), a place to go in an emergency, and a code word agreed with the children."),
                ("評估風險時須留意：暴力次數及嚴重程度增加、使用或威脅使用武器、跟蹤、威脅自殺或殺人，以及最近分居。", "In assessing risk, note violence growing more frequent or severe, weapons used or threatened, stalking, threats of suicide or homicide, and a recent separation."),
                ("社工應單獨與受害人面談，避免在施虐者在場時討論安全計劃，並清楚說明保密的限制。", "See the survivor alone, never discuss the safety plan with the abuser present, and explain clearly the limits of confidentiality."),
                ("如涉及兒童目睹暴力，須按《保護兒童免受虐待－多專業合作程序指引》考慮召開多專業個案會議。", "Where children witness the violence, consider a multi-disciplinary case conference under the Protecting Children from Maltreatment procedural guide."),
                ("小組第三節：辨識憤怒的身體訊號，練習「暫停」技巧，並討論控制行為對家人的影響。", "Group session three: recognise the body's signs of anger, practise taking time out, and discuss how controlling behaviour affects the family."),
            ],
        },
        HubTheme {
            topics: &["caregiving", "elder_abuse", "health_disability"],
            factors: &[CaregiverStrain, SocialIsolation, ConcreteSupport, CommunityConnection],
            audiences: &[Carers, OlderPeople, SocialWorkers],
            titles: &[
                ("護老者減壓", "Stress relief for carers"),
                ("認知障礙症照顧", "Caring for a person with dementia"),
                ("長者虐待的識別", "Recognising elder abuse"),
                ("社區照顧服務", "Community care services"),
            ],
            summaries: &[
                ("為照顧年長家人的護老者提供減壓方法，並介紹日間護理及暫託服務的申請途徑。", "Ways for carers of older relatives to ease their stress, and how to apply for day care and respite services."),
                ("說明認知障礙症不同階段的照顧需要，以及與長者溝通的技巧。", "Describes the care needs at each stage of dementia and how to communicate with the older person."),
                ("協助前線同工識別身體、精神、疏忽照顧及侵吞財產等長者虐待的徵狀。", "Helps front-line staff recognise the signs of physical and psychological abuse, neglect and financial abuse of older people."),
            ],
            paragraphs: &[
                ("護老者常感到孤單和內疚。可鼓勵家人輪流照顧，並每星期安排最少半天的休息時間。", "Carers often feel alone and guilty. Encourage the family to take turns, and arrange at least half a day's rest each week."),
                ("與認知障礙症長者溝通時，宜用簡短句子，一次只說一件事，並避免與長者爭拗對錯。", "With a person with dementia, use short sentences, say one thing at a time, and avoid arguing about who is right."),
                ("如長者身上有不明瘀傷、體重急降或突然不願見某位家人，社工應小心了解並記錄。", "Unexplained bruises, sudden weight loss, or an older person suddenly unwilling to see one relative call for careful enquiry and a record."),
                ("長者社區照顧服務券讓合資格長者選擇合適的家居或中心為本服務，社工可協助評估及申請。", "The community care service voucher lets eligible older people choose home- or centre-based services; the worker can help with the assessment and the application."),
            ],
        },
        HubTheme {
            topics: &["emotional", "mental_illness", "suicide_risk"],
            factors: &[MentalIllness, Resilience, HelpSeeking, ProblemSolving],
            audiences: &[SocialWorkers, Youth, GeneralPublic],
            titles: &[
                ("情緒健康", "Emotional wellbeing"),
                ("抑鬱及焦慮的初步識別", "Early recognition of depression and anxiety"),
                ("自殺風險評估與危機介入", "Suicide risk assessment and crisis intervention"),
                ("精神復元", "Recovery in mental health"),
            ],
            summaries: &[
                ("介紹抑鬱和焦慮的常見徵狀，以及家人如何陪伴及鼓勵求助。", "Introduces the common signs of depression and anxiety, and how relatives can stay alongside and encourage help-seeking."),
                ("為社工整理自殺風險的評估問題、保護因素及轉介精神科服務的程序。", "Gathers for workers the questions of a suicide risk assessment, the protective factors, and how to refer to psychiatric services."),
                ("以復元為本的角度，協助精神病康復者及家人訂立生活目標。", "Helps people recovering from mental illness and their families set goals for their lives, from a recovery-oriented view."),
            ],
            paragraphs: &[
                ("如果連續兩星期大部分時間感到情緒低落、對事物失去興趣、睡眠或食慾改變，應考慮尋求專業協助。", "Feeling low most of the time for two weeks, losing interest in things, or changes in sleep or appetite are reasons to seek professional help."),
                ("直接詢問「你有沒有想過結束自己的生命？」不會增加風險，反而讓當事人感到被明白。", "Asking directly \"have you thought about ending your life?\" does not raise the risk; it lets the person feel understood."),
                ("危機介入時，應與當事人一同訂立安全計劃，移除危險物品，並安排可信任的人陪伴。", "In a crisis, make a safety plan together with the person, remove dangerous objects, and arrange for someone trusted to stay with them."),
                ("呼吸練習：吸氣四秒、停兩秒、呼氣六秒，重複五次，有助在焦慮時平伏心情。", "A breathing exercise: breathe in for four seconds, hold for two, breathe out for six, five times over, to settle anxiety."),
                ("精神健康綜合社區中心提供一站式支援，社工可協助康復者及家人聯絡所屬地區的中心。", "Integrated Community Centres for Mental Wellness give one-stop support; the worker can help people in recovery and their families contact their district's centre."),
            ],
        },
        HubTheme {
            topics: &["new_arrival_adjustment", "ethnic_minority"],
            factors: &[SocialIsolation, CommunityConnection, HelpSeeking, ConcreteSupport],
            audiences: &[NewArrivals, EthnicMinorities, SocialWorkers],
            titles: &[
                ("新來港家庭適應", "Settling in for new-arrival families"),
                ("少數族裔家庭服務", "Services for ethnic minority families"),
                ("跨文化輔導", "Cross-cultural counselling"),
            ],
            summaries: &[
                ("為新來港人士介紹香港的教育、醫療及社會福利服務，以及申請所需文件。", "Introduces new arrivals to Hong Kong's education, health and welfare services, and the papers each application needs."),
                ("整理與少數族裔家庭工作時的文化考慮及傳譯服務的使用方法。", "Sets out cultural considerations in working with ethnic minority families, and how to use interpretation services."),
            ],
            paragraphs: &[
                ("新來港家庭常面對居住環境擠迫、子女適應新學制及配偶工作時間長等困難，社工可協助連結社區資源。", "New-arrival families often face crowded housing, children adjusting to a new school system and a spouse's long working hours; the worker can connect them with community resources."),
                ("與少數族裔家庭面談時，應使用專業傳譯員，避免由子女擔任翻譯，以保障私隱及家庭角色。", "With ethnic minority families, use a professional interpreter rather than the children, to protect privacy and the family's roles."),
                ("社區中心的廣東話班及家長學堂，有助新來港婦女建立支援網絡。", "Cantonese classes and parent schools at community centres help women new to Hong Kong build a network of support."),
                ("申請在職家庭津貼、書簿津貼及學生車船津貼時，須準備住址證明及收入證明。", "Applications for the Working Family Allowance, textbook and student travel subsidies need proof of address and of income."),
            ],
        },
        HubTheme {
            topics: &["financial", "housing", "employment"],
            factors: &[FinancialHardship, HousingInstability, ConcreteSupport, ProblemSolving],
            audiences: &[SocialWorkers, Parents, GeneralPublic],
            titles: &[
                ("理財及債務輔導", "Money management and debt counselling"),
                ("經濟援助申請", "Applying for financial assistance"),
                ("住屋支援", "Housing support"),
                ("就業與家庭", "Work and family"),
            ],
            summaries: &[
                ("協助經濟困難家庭整理收支，訂立還款計劃，並認識綜援及其他援助的資格。", "Helps families in financial difficulty sort out their income and spending, plan repayments, and learn who qualifies for CSSA and other help."),
                ("介紹公屋申請、體恤安置及過渡性房屋的程序與轉介文件。", "Describes public housing applications, compassionate rehousing and transitional housing, with the referral papers each needs."),
            ],
            paragraphs: &[
                ("第一步是記錄一個月的收入和支出，分開必要開支（租金、膳食、交通）與可減少的開支。", "The first step is to record a month's income and spending, separating what must be paid (rent, food, transport) from what can be cut."),
                ("面對財務公司追債時，應保留所有通訊紀錄，切勿再借新債還舊債，並盡早尋求債務輔導。", "When finance companies chase a debt, keep every message, never borrow again to repay, and seek debt counselling early."),
                ("體恤安置適用於有迫切及長遠住屋需要而無其他解決方法的家庭，須由社工評估及推薦。", "Compassionate rehousing is for families with an urgent and lasting housing need and no other way to meet it, assessed and recommended by a social worker."),
                ("失業家長可透過勞工處及僱員再培訓局的課程提升技能，社工可協助安排託兒服務。", "Parents out of work can build skills through the Labour Department and the Employees Retraining Board; the worker can help arrange child care."),
            ],
        },
        HubTheme {
            topics: &["child_abuse", "child_care"],
            factors: &[Trauma, FamilyViolence, ParentingSkills, SocialSupport],
            audiences: &[SocialWorkers, Supervisors, Children],
            titles: &[
                ("保護兒童", "Child protection"),
                ("兒童創傷知情實務", "Trauma-informed practice with children"),
                ("疏忽照顧的識別", "Recognising neglect"),
            ],
            summaries: &[
                ("說明懷疑虐兒個案的處理程序，包括初步評估、通報及多專業個案會議。", "Explains how to handle a suspected child abuse case: the first assessment, reporting, and the multi-disciplinary case conference."),
                ("以創傷知情的角度理解兒童的行為，並協助照顧者提供安全穩定的環境。", "Reads children's behaviour with a trauma-informed eye, and helps carers give a safe and steady home."),
            ],
            paragraphs: &[
                ("懷疑兒童受虐時，社工應先確保兒童安全，記錄所見所聞，並按機構程序諮詢督導。", "When abuse is suspected, first make sure the child is safe, record what was seen and heard, and consult the supervisor as the agency's procedure says."),
                ("與兒童面談時使用開放式問題，不要引導或重複追問，並讓兒童知道說出來不是他的錯。", "With a child, ask open questions, never lead or press, and let the child know that telling is not their fault."),
                ("經歷創傷的兒童可能出現退縮、過度警覺或情緒爆發，照顧者需要明白這些是保護自己的反應。", "Children who have been through trauma may withdraw, stay on guard or burst out; carers need to understand these as ways of protecting themselves."),
                ("疏忽照顧的徵狀包括長期缺課、衣著不合時令、未獲適切醫療，以及年幼兒童長時間獨留家中。", "Signs of neglect include long absence from school, clothes unsuited to the weather, medical needs left untreated, and young children left alone at home for long hours."),
            ],
        },
        HubTheme {
            topics: &["divorce_custody", "in_law_conflict", "marital_conflict"],
            factors: &[MaritalConflict, Communication, FamilyCohesion, ProblemSolving],
            audiences: &[Couples, Parents, SocialWorkers],
            titles: &[
                ("共同教養", "Co-parenting after separation"),
                ("婚姻調解", "Marital mediation"),
                ("夫婦溝通", "Communication for couples"),
                ("大家庭關係", "Relationships in the extended family"),
            ],
            summaries: &[
                ("協助分居或離婚的父母以子女的需要為先，訂立探視及共同教養安排。", "Helps separated or divorced parents put the children's needs first and agree contact and co-parenting arrangements."),
                ("介紹夫婦處理衝突的溝通技巧，以及與姻親相處的界線。", "Introduces communication skills for couples in conflict, and boundaries with in-laws."),
            ],
            paragraphs: &[
                ("父母分開後，子女最需要知道兩位家長仍然愛他們，並且不用在父母之間選邊。", "After parents part, children most need to know both parents still love them and that they need not take sides."),
                ("共同教養計劃應列明探視時間、假期安排、學校事務的決定方法，以及雙方聯絡的方式。", "A co-parenting plan sets out contact times, holidays, how school decisions are made, and how the parents keep in touch."),
                ("夫婦溝通練習：輪流用「我」開始的句子表達感受，對方先複述所聽到的，再作回應。", "A couples' exercise: take turns to say how you feel in sentences starting with \"I\", and have the other repeat what they heard before answering."),
                ("與姻親同住的家庭，可透過家庭會議討論家務分工及育兒角色，減少誤會。", "Families living with in-laws can use a family meeting to share out housework and child-rearing roles and avoid misunderstandings."),
            ],
        },
    ]
};

/// How each type of resource is named after its subject.
pub const HUB_TYPE_NAMES: &[(ResourceType, &str, &str)] = &[
    (ResourceType::PracticeTool, "實務工具", "practice tool"),
    (ResourceType::Worksheet, "工作紙", "worksheet"),
    (ResourceType::AssessmentTool, "評估工具", "assessment tool"),
    (
        ResourceType::ResearchSummary,
        "研究摘要",
        "research summary",
    ),
    (
        ResourceType::EvidenceBasedProgramme,
        "實證為本計劃",
        "evidence-based programme",
    ),
    (ResourceType::Guideline, "工作指引", "guidelines"),
    (
        ResourceType::TrainingMaterial,
        "培訓教材",
        "training materials",
    ),
    (ResourceType::Video, "教育短片", "video"),
    (
        ResourceType::CaseIllustration,
        "個案示例",
        "case illustration",
    ),
    (ResourceType::Policy, "政策文件", "policy paper"),
];

/// Names readers give their collections.
pub const HUB_COLLECTIONS: &[&str] = &[
    "家長小組材料 Parenting group materials",
    "家暴個案參考",
    "Supervision readings",
    "新同事入職資料",
    "護老者支援 Carers",
    "危機介入 Crisis work",
    "研究文獻",
    "社區資源",
];
