//! Demo data for trying FamilyLink: two fictional agencies, four centres, one user of
//! every role, and fictional clients. Loaded only into an empty database. `scale` adds a
//! synthetic data set of any size on top of it.

mod bank;
mod bulk;
mod hub;
pub mod scale;

use chrono::NaiveDate;
use common::clients::{ClientForm, Sex};
use common::districts::District;
use common::identity::{Access, Role, Roles, Unit};

use crate::audit::Actor;
use crate::clients::service::{self, Scope};
use crate::db::{self, DbConnection};
use crate::error::ApiError;
use crate::identity::store::{self, NewCentre, NewUser};
use crate::identity::{password, Centres, RecordScope};

pub const DEMO_PASSWORD: &str = "familylink-demo";

/// Username, display name, roles, agency code, centre code, unit.
struct DemoUser(
    &'static str,
    &'static str,
    &'static [Role],
    Option<&'static str>,
    Option<&'static str>,
    Option<Unit>,
);

/// One user of every role; workers are also learners, the supervisor also a trainer.
const DEMO_USERS: [DemoUser; 10] = {
    use Role::*;
    use Unit::*;
    [
        DemoUser(
            "admin",
            "系統管理員 System Admin",
            &[SystemAdmin],
            None,
            None,
            None,
        ),
        DemoUser(
            "agency-admin",
            "何家欣 Ho Ka Yan",
            &[AgencyAdmin],
            Some("HFS"),
            None,
            None,
        ),
        DemoUser(
            "supervisor",
            "梁志明 Leung Chi Ming",
            &[Supervisor, Trainer],
            Some("HFS"),
            Some("HFS-SSP"),
            Some(FamilyCounselling),
        ),
        DemoUser(
            "worker",
            "陳美玲 Chan Mei Ling",
            &[SocialWorker, Learner],
            Some("HFS"),
            Some("HFS-SSP"),
            Some(FamilyCounselling),
        ),
        DemoUser(
            "worker2",
            "黃家豪 Wong Ka Ho",
            &[SocialWorker, Learner],
            Some("HFS"),
            Some("HFS-KT"),
            Some(FamilyCounselling),
        ),
        DemoUser(
            "worker3",
            "林淑儀 Lam Suk Yee",
            &[SocialWorker, Learner],
            Some("LRC"),
            Some("LRC-TC"),
            Some(FamilySupport),
        ),
        DemoUser(
            "analyst",
            "張偉傑 Cheung Wai Kit",
            &[Analyst],
            Some("HFS"),
            None,
            None,
        ),
        DemoUser(
            "trainer",
            "李嘉敏 Lee Ka Man",
            &[Trainer],
            Some("HFS"),
            None,
            None,
        ),
        DemoUser(
            "learner",
            "吳子軒 Ng Tsz Hin",
            &[Learner],
            Some("HFS"),
            Some("HFS-SSP"),
            Some(FamilyResource),
        ),
        DemoUser(
            "resource-admin",
            "劉穎欣 Lau Wing Yan",
            &[ResourceAdmin],
            Some("HFS"),
            None,
            None,
        ),
    ]
};

/// Seeds the demo when the database has no users; answers whether it did.
pub fn demo(conn: &mut DbConnection) -> Result<bool, ApiError> {
    if store::count_users(conn)? > 0 {
        return Ok(false);
    }
    // One hash serves every demo user: they share a published password anyway.
    let hash = password::hash(DEMO_PASSWORD).map_err(|e| ApiError::Internal(e.to_string()))?;
    db::transaction(conn, |conn| {
        let hfs = store::insert_agency(conn, "HFS", "海港家庭服務協會", "Harbour Family Services")?;
        let lrc = store::insert_agency(conn, "LRC", "獅子山社區關懷", "Lion Rock Community Care")?;
        let centres = [
            (
                &hfs,
                "HFS-SSP",
                "海港深水埗綜合家庭服務中心",
                "Harbour Sham Shui Po IFSC",
                "IFSC",
                District::F,
            ),
            (
                &hfs,
                "HFS-KT",
                "海港觀塘綜合家庭服務中心",
                "Harbour Kwun Tong IFSC",
                "IFSC",
                District::J,
            ),
            (
                &lrc,
                "LRC-TC",
                "獅子山東涌綜合服務中心",
                "Lion Rock Tung Chung ISC",
                "ISC",
                District::T,
            ),
            (
                &lrc,
                "LRC-ST",
                "獅子山沙田綜合家庭服務中心",
                "Lion Rock Sha Tin IFSC",
                "IFSC",
                District::R,
            ),
        ];
        for (agency_id, code, name_zh, name_en, kind, district) in centres {
            store::insert_centre(
                conn,
                &NewCentre {
                    agency_id,
                    code,
                    name_zh,
                    name_en,
                    kind,
                    district,
                },
            )?;
        }
        for DemoUser(username, display_name, roles, agency, centre, unit) in DEMO_USERS {
            let agency_id = agency
                .map(|code| store::agency_id_by_code(conn, code))
                .transpose()?
                .flatten();
            let centre_id = centre
                .map(|code| store::centre_by_code(conn, code))
                .transpose()?
                .flatten()
                .map(|(id, _)| id);
            let unit_id = store::unit_id(conn, centre_id.as_deref(), unit)?;
            store::insert_user(
                conn,
                &NewUser {
                    username,
                    display_name,
                    password_hash: &hash,
                    roles: &Roles::new(roles.iter().copied()),
                    agency_id: agency_id.as_deref(),
                    centre_id: centre_id.as_deref(),
                    unit_id: unit_id.as_deref(),
                },
            )?;
        }
        demo_clients(conn)
    })?;
    Ok(true)
}

/// Fictional clients for each worker's centre, living in and around its district.
fn demo_clients(conn: &mut DbConnection) -> Result<(), ApiError> {
    const NAMES: [(&str, &str, Sex); 12] = [
        ("陳大文", "CHAN Tai Man", Sex::M),
        ("黃美華", "WONG Mei Wah", Sex::F),
        ("張家明", "CHEUNG Ka Ming", Sex::M),
        ("李秀英", "LEE Sau Ying", Sex::F),
        ("劉志強", "LAU Chi Keung", Sex::M),
        ("吳麗珍", "NG Lai Chun", Sex::F),
        ("鄭國華", "CHENG Kwok Wah", Sex::M),
        ("梁嘉欣", "LEUNG Ka Yan", Sex::F),
        ("林小明", "LAM Siu Ming", Sex::M),
        ("何淑芬", "HO Shuk Fan", Sex::F),
        ("", "KHAN Ayesha", Sex::F),
        ("周子樂", "CHOW Tsz Lok", Sex::M),
    ];
    let homes: [(&str, [District; 4]); 3] = [
        (
            "worker",
            [District::F, District::F, District::E, District::G],
        ),
        (
            "worker2",
            [District::J, District::J, District::H, District::Q],
        ),
        (
            "worker3",
            [District::T, District::T, District::K, District::S],
        ),
    ];
    for (centre_index, (username, districts)) in homes.iter().enumerate() {
        let worker = store::find_by_username(conn, username)?.ok_or(ApiError::NotFound)?;
        let centre_id = worker.centre_id.clone().ok_or(ApiError::NotFound)?;
        let actor = Actor {
            user_id: Some(worker.id.clone()),
            ip: None,
        };
        let records = RecordScope {
            centres: Centres::One(centre_id),
            owner_id: None,
            access: Access::Write,
        };
        let scope = Scope {
            records: &records,
            actor: &actor,
            hkid_key: &[],
        };
        for (i, (name_zh, name_en, sex)) in NAMES.iter().enumerate() {
            let n = (i + centre_index * NAMES.len()) as u32;
            let form = ClientForm {
                name_zh: name_zh.to_string(),
                name_en: name_en.to_string(),
                sex: Some(*sex),
                date_of_birth: NaiveDate::from_ymd_opt(
                    1950 + (n * 7 % 60) as i32,
                    1 + n % 12,
                    1 + n % 28,
                ),
                phone: format!("{}{:07}", 5 + n % 5, 1_234_567 + n * 7_919),
                district: Some(districts[i % districts.len()]),
                ..ClientForm::default()
            };
            service::create(conn, &scope, &form)?;
        }
    }
    Ok(())
}
