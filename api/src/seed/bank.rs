//! What the synthetic data is made of: Hong Kong names with their Government
//! romanisations, places, and the narrative of notes, goals, reviews and referrals in
//! Chinese and English. `{client}`, `{member}` and `{nature}` are filled in per case.

use common::activities::{ActivityFormat, TargetGroup};
use common::case_notes::ContactType;
use common::cases::ClosureReason;
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
