//! i-Hub, the sector's shelf of practice tools, research and evidence-based programmes:
//! what a resource is, how it moves from draft to published, who sees it, and how the
//! shelf is searched.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::cases::{missing, StaffRef};
use crate::error::{FieldError, ValidationErrors};
use crate::paging;
use crate::stored_codes;
use crate::text::{file_name, one_line, paragraphs, required, web_link};

pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 4000;
pub const AUTHORS_MAX: usize = 500;
pub const CITATION_MAX: usize = 1000;
pub const NOTE_MAX: usize = 2000;
pub const QUERY_MAX: usize = 200;
pub const COLLECTION_NAME_MAX: usize = 100;

stored_codes! {
    pub enum ResourceType {
        PracticeTool = "practice_tool",
        Worksheet = "worksheet",
        AssessmentTool = "assessment_tool",
        ResearchSummary = "research_summary",
        EvidenceBasedProgramme = "evidence_based_programme",
        Guideline = "guideline",
        TrainingMaterial = "training_material",
        Video = "video",
        CaseIllustration = "case_illustration",
        Policy = "policy",
    }
}

stored_codes! {
    /// The California Evidence-Based Clearinghouse's scale, which Hong Kong's family
    /// services read programmes against.
    pub enum EvidenceRating {
        WellSupported = "well_supported",
        Supported = "supported",
        Promising = "promising",
        FailsToDemonstrateEffect = "fails_to_demonstrate_effect",
        ConcerningPractice = "concerning_practice",
        NotAbleToBeRated = "not_able_to_be_rated",
    }
}

stored_codes! {
    /// What a resource helps a worker address in a family: risks to reduce, strengths
    /// to build.
    pub enum ResourceFactor {
        FamilyViolence = "family_violence",
        SubstanceMisuse = "substance_misuse",
        MentalIllness = "mental_illness",
        ParentingStress = "parenting_stress",
        FinancialHardship = "financial_hardship",
        HousingInstability = "housing_instability",
        SocialIsolation = "social_isolation",
        MaritalConflict = "marital_conflict",
        CaregiverStrain = "caregiver_strain",
        Gambling = "gambling",
        Trauma = "trauma",
        ParentingSkills = "parenting_skills",
        SocialSupport = "social_support",
        FamilyCohesion = "family_cohesion",
        Resilience = "resilience",
        Communication = "communication",
        ProblemSolving = "problem_solving",
        CommunityConnection = "community_connection",
        HelpSeeking = "help_seeking",
        ConcreteSupport = "concrete_support",
    }
}

/// Whether a factor is a risk to reduce or a strength to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactorKind {
    Risk,
    Protective,
}

impl ResourceFactor {
    pub fn kind(self) -> FactorKind {
        use ResourceFactor::*;
        match self {
            FamilyViolence | SubstanceMisuse | MentalIllness | ParentingStress
            | FinancialHardship | HousingInstability | SocialIsolation | MaritalConflict
            | CaregiverStrain | Gambling | Trauma => FactorKind::Risk,
            _ => FactorKind::Protective,
        }
    }
}

stored_codes! {
    pub enum Audience {
        SocialWorkers = "social_workers",
        Supervisors = "supervisors",
        Parents = "parents",
        Children = "children",
        Youth = "youth",
        Couples = "couples",
        OlderPeople = "older_people",
        Carers = "carers",
        EthnicMinorities = "ethnic_minorities",
        NewArrivals = "new_arrivals",
        GeneralPublic = "general_public",
    }
}

stored_codes! {
    /// The languages a resource is written or spoken in: Hong Kong's own, and those of
    /// its ethnic minorities and domestic helpers.
    pub enum ResourceLanguage {
        TraditionalChinese = "zh_hant",
        SimplifiedChinese = "zh_hans",
        English = "en",
        Urdu = "ur",
        Nepali = "ne",
        Hindi = "hi",
        Tagalog = "tl",
        Indonesian = "id",
        Other = "other",
    }
}

stored_codes! {
    pub enum Licence {
        CcBy = "cc_by",
        CcBySa = "cc_by_sa",
        CcByNc = "cc_by_nc",
        CcByNcSa = "cc_by_nc_sa",
        CcByNcNd = "cc_by_nc_nd",
        PublicDomain = "public_domain",
        UsedWithPermission = "used_with_permission",
        AllRightsReserved = "all_rights_reserved",
    }
}

stored_codes! {
    /// Who may read a published resource.
    pub enum Visibility {
        /// Anyone, signed in or not.
        Public = "public",
        /// Staff of every agency on the platform.
        AllAgencies = "all_agencies",
        /// Staff of the contributing agency only.
        OwnAgency = "own_agency",
    }
}

stored_codes! {
    pub enum ResourceStatus {
        Draft = "draft",
        Submitted = "submitted",
        Approved = "approved",
        Published = "published",
        Archived = "archived",
    }
}

/// Who is asking to move a resource: its contributor, a reviewer, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Standing {
    pub contributor: bool,
    pub reviewer: bool,
}

impl ResourceStatus {
    /// The one rule of a resource's workflow. The contributor submits a draft or takes a
    /// submission back; a reviewer returns it to draft, approves it, publishes what was
    /// approved, archives what was published, and takes an archived one back to draft to
    /// be revised.
    pub fn may_become(self, to: ResourceStatus, who: Standing) -> bool {
        use ResourceStatus::*;
        match (self, to) {
            (Draft, Submitted) | (Submitted, Draft) => who.contributor || who.reviewer,
            (Submitted, Approved)
            | (Approved, Published)
            | (Approved, Draft)
            | (Published, Archived)
            | (Archived, Draft) => who.reviewer,
            _ => false,
        }
    }

    /// The steps open from here to someone of this standing, in workflow order.
    pub fn next_steps(self, who: Standing) -> Vec<ResourceStatus> {
        ResourceStatus::ALL
            .iter()
            .copied()
            .filter(|to| self.may_become(*to, who))
            .collect()
    }

    /// Whose words may still change: a contributor's while the draft is theirs, a
    /// reviewer's until the resource is archived.
    pub fn editable(self, who: Standing) -> bool {
        match self {
            ResourceStatus::Draft => who.contributor || who.reviewer,
            ResourceStatus::Submitted | ResourceStatus::Approved | ResourceStatus::Published => {
                who.reviewer
            }
            ResourceStatus::Archived => false,
        }
    }
}

/// The reader a visibility rule is applied to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader<'a> {
    /// Nobody signed in: the public.
    Anonymous,
    Staff {
        user_id: &'a str,
        agency_id: Option<&'a str>,
        /// Reviews resources: of `agency_id` when the reviewer belongs to an agency,
        /// of every agency when not.
        reviewer: bool,
    },
}

/// Who may see a resource, decided here and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shelved<'a> {
    pub agency_id: &'a str,
    pub created_by: &'a str,
    pub status: ResourceStatus,
    pub visibility: Visibility,
}

impl Reader<'_> {
    /// How this reader stands to a resource: contributor (who made it) or reviewer (a
    /// resource admin of its agency, or of the platform).
    pub fn standing(&self, resource: &Shelved) -> Standing {
        match self {
            Reader::Anonymous => Standing {
                contributor: false,
                reviewer: false,
            },
            Reader::Staff {
                user_id,
                agency_id,
                reviewer,
            } => Standing {
                contributor: *user_id == resource.created_by,
                reviewer: *reviewer && agency_id.is_none_or(|own| own == resource.agency_id),
            },
        }
    }

    /// A published resource is read by whom its visibility names; any other by its
    /// contributor and its reviewers.
    pub fn sees(&self, resource: &Shelved) -> bool {
        let standing = self.standing(resource);
        if standing.contributor || standing.reviewer {
            return true;
        }
        if resource.status != ResourceStatus::Published {
            return false;
        }
        match (resource.visibility, self) {
            (Visibility::Public, _) => true,
            (_, Reader::Anonymous) => false,
            (Visibility::AllAgencies, Reader::Staff { .. }) => true,
            (Visibility::OwnAgency, Reader::Staff { agency_id, .. }) => {
                *agency_id == Some(resource.agency_id)
            }
        }
    }
}

/// What a resource says of itself, once valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResourceContent {
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub resource_type: ResourceType,
    /// Case nature codes, from the platform's list that casework uses.
    pub topics: Vec<String>,
    pub factors: Vec<ResourceFactor>,
    pub audiences: Vec<Audience>,
    pub languages: Vec<ResourceLanguage>,
    pub licence: Licence,
    pub authors: String,
    pub citation: String,
    pub link: Option<String>,
    pub visibility: Visibility,
}

/// A new resource, or the words of one as edited (with the version read).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ResourceForm {
    #[serde(default)]
    pub title_zh: String,
    #[serde(default)]
    pub title_en: String,
    #[serde(default)]
    pub summary_zh: String,
    #[serde(default)]
    pub summary_en: String,
    pub resource_type: Option<ResourceType>,
    #[serde(default)]
    pub topics: Vec<String>,
    #[serde(default)]
    pub factors: Vec<ResourceFactor>,
    #[serde(default)]
    pub audiences: Vec<Audience>,
    #[serde(default)]
    pub languages: Vec<ResourceLanguage>,
    pub licence: Option<Licence>,
    #[serde(default)]
    pub authors: String,
    #[serde(default)]
    pub citation: String,
    pub link: Option<String>,
    pub visibility: Option<Visibility>,
    /// The version edited; none for a new resource.
    pub version: Option<i64>,
}

/// Codes in the order first given, each once.
fn distinct<T: Copy + Ord>(values: &[T]) -> Vec<T> {
    let mut seen = BTreeSet::new();
    values.iter().copied().filter(|v| seen.insert(*v)).collect()
}

fn some_of<T: Copy + Ord>(values: &[T], what: &str) -> Result<Vec<T>, FieldError> {
    let values = distinct(values);
    if values.is_empty() {
        Err(FieldError::new(
            "required",
            format!("Choose at least one {what}"),
        ))
    } else {
        Ok(values)
    }
}

impl ResourceForm {
    pub fn parse(&self) -> Result<ResourceContent, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let title_zh = errors.check(
            "title_zh",
            required(one_line(&self.title_zh, TITLE_MAX), "The Chinese title"),
        );
        let title_en = errors.check(
            "title_en",
            required(one_line(&self.title_en, TITLE_MAX), "The English title"),
        );
        let summary_zh = errors.check(
            "summary_zh",
            required(
                paragraphs(&self.summary_zh, SUMMARY_MAX),
                "The Chinese summary",
            ),
        );
        let summary_en = errors.check(
            "summary_en",
            required(
                paragraphs(&self.summary_en, SUMMARY_MAX),
                "The English summary",
            ),
        );
        let resource_type = errors.check(
            "resource_type",
            self.resource_type.ok_or_else(|| missing("The type")),
        );
        let mut seen = BTreeSet::new();
        let topics: Vec<String> = self
            .topics
            .iter()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty() && seen.insert(t.clone()))
            .collect();
        if topics.is_empty() {
            errors.add("topics", "required", "Choose at least one topic");
        }
        let factors = distinct(&self.factors);
        let audiences = errors.check("audiences", some_of(&self.audiences, "audience"));
        let languages = errors.check("languages", some_of(&self.languages, "language"));
        let licence = errors.check(
            "licence",
            self.licence.ok_or_else(|| missing("The licence")),
        );
        let authors = errors.check(
            "authors",
            required(one_line(&self.authors, AUTHORS_MAX), "The authors"),
        );
        let citation = errors.check("citation", paragraphs(&self.citation, CITATION_MAX));
        let link = errors.check("link", web_link(self.link.as_deref()));
        let visibility = errors.check(
            "visibility",
            self.visibility.ok_or_else(|| missing("Who may read it")),
        );
        if let Some(version) = self.version {
            if version < 1 {
                errors.add("version", "out_of_range", "A version is 1 or more");
            }
        }
        match (
            title_zh,
            title_en,
            summary_zh,
            summary_en,
            resource_type,
            audiences,
            languages,
            licence,
            authors,
            citation,
            link,
            visibility,
        ) {
            (
                Some(title_zh),
                Some(title_en),
                Some(summary_zh),
                Some(summary_en),
                Some(resource_type),
                Some(audiences),
                Some(languages),
                Some(licence),
                Some(authors),
                Some(citation),
                Some(link),
                Some(visibility),
            ) if errors.is_empty() => Ok(ResourceContent {
                title_zh,
                title_en,
                summary_zh,
                summary_en,
                resource_type,
                topics,
                factors,
                audiences,
                languages,
                licence,
                authors,
                citation,
                link,
                visibility,
            }),
            _ => Err(errors),
        }
    }
}

/// A step in the workflow, taken at the version read, with a word for the record (why
/// it went back to draft, say).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct StepForm {
    pub to: ResourceStatus,
    #[serde(default)]
    pub note: String,
    pub version: i64,
}

impl StepForm {
    /// The note, once valid: whoever sends a resource back to draft says why, so its
    /// contributor knows; a contributor taking back their own submission need not.
    pub fn parse(&self, from: ResourceStatus, who: Standing) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let withdrawn = from == ResourceStatus::Submitted && who.contributor;
        let note = errors.check(
            "note",
            paragraphs(&self.note, NOTE_MAX).and_then(|note| {
                if note.is_empty() && self.to == ResourceStatus::Draft && !withdrawn {
                    Err(missing("Why it goes back to draft"))
                } else {
                    Ok(note)
                }
            }),
        );
        errors.into_result(|| note.unwrap_or_default())
    }
}

/// A reviewer's grading of the evidence behind a resource, at the version read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RatingForm {
    pub evidence_rating: EvidenceRating,
    pub version: i64,
}

/// The evidence rating as given: by whom and on which day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Evidence {
    pub rating: EvidenceRating,
    pub rated_by: StaffRef,
    pub rated_on: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct AgencyRef {
    pub id: String,
    pub name_zh: String,
    pub name_en: String,
}

/// A file of a resource.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResourceFile {
    pub id: String,
    pub file_name: String,
    pub media_type: String,
    pub size_bytes: i64,
    pub downloads: i64,
    pub uploaded_at: DateTime<Utc>,
}

/// What the reader may do with a resource, as the server decided.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResourceActions {
    pub edit: bool,
    pub rate: bool,
    pub steps: Vec<ResourceStatus>,
    /// Signed in, so may bookmark and collect.
    pub keep: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Resource {
    pub id: String,
    #[serde(flatten)]
    pub content: ResourceContent,
    pub agency: AgencyRef,
    pub status: ResourceStatus,
    pub evidence: Option<Evidence>,
    pub created_by: StaffRef,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub published_at: Option<DateTime<Utc>>,
    pub files: Vec<ResourceFile>,
    /// Downloads of its files and bookmarks: how much it is used.
    pub uses: i64,
    pub bookmarked: bool,
    pub may: ResourceActions,
    pub version: i64,
}

/// One saved version: what the resource said after a change, and who made it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResourceVersion {
    pub version: i64,
    pub status: ResourceStatus,
    pub evidence_rating: Option<EvidenceRating>,
    /// What the change was: `created`, `edited`, `rated`, `file_added`, `file_removed`,
    /// or the status it moved to.
    pub change: String,
    pub note: String,
    pub changed_by: StaffRef,
    pub changed_at: DateTime<Utc>,
    pub content: ResourceContent,
}

stored_codes! {
    pub enum ResourceSort {
        Relevance = "relevance",
        Newest = "newest",
        MostUsed = "most_used",
    }
}

/// The hub's search: words, facets to narrow by, an order and a page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct ResourceQuery {
    pub q: Option<String>,
    pub resource_type: Option<ResourceType>,
    pub topic: Option<String>,
    pub evidence_rating: Option<EvidenceRating>,
    pub audience: Option<Audience>,
    pub language: Option<ResourceLanguage>,
    pub agency: Option<String>,
    /// Published by default; a reviewer's queue asks for `submitted`.
    pub status: Option<ResourceStatus>,
    /// Only what the reader contributed.
    pub mine: Option<bool>,
    pub sort: Option<ResourceSort>,
    pub page: Option<i64>,
    pub per_page: Option<i64>,
}

/// A search once valid.
#[derive(Debug, Clone, PartialEq)]
pub struct ResourceSearchSpec {
    /// The words as typed, cleaned; empty when none.
    pub q: String,
    pub filter: FacetFilter,
    pub status: ResourceStatus,
    pub mine: bool,
    pub sort: ResourceSort,
    pub page: i64,
    pub per_page: i64,
}

/// The facet values a search is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetFilter {
    pub resource_type: Option<ResourceType>,
    pub topic: Option<String>,
    pub evidence_rating: Option<EvidenceRating>,
    pub audience: Option<Audience>,
    pub language: Option<ResourceLanguage>,
    pub agency: Option<String>,
}

impl ResourceQuery {
    pub fn parse(&self) -> Result<ResourceSearchSpec, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let q = errors
            .check("q", one_line(self.q.as_deref().unwrap_or(""), QUERY_MAX))
            .unwrap_or_default();
        let (page, per_page) = paging::window(self.page, self.per_page, &mut errors);
        let sort = self.sort.unwrap_or(if q.is_empty() {
            ResourceSort::Newest
        } else {
            ResourceSort::Relevance
        });
        if sort == ResourceSort::Relevance && q.is_empty() {
            errors.add("sort", "needs_words", "Relevance needs words to search for");
        }
        let blank = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        };
        errors.into_result(|| ResourceSearchSpec {
            q,
            filter: FacetFilter {
                resource_type: self.resource_type,
                topic: blank(&self.topic),
                evidence_rating: self.evidence_rating,
                audience: self.audience,
                language: self.language,
                agency: blank(&self.agency),
            },
            status: self.status.unwrap_or(ResourceStatus::Published),
            mine: self.mine.unwrap_or(false),
            sort,
            page,
            per_page,
        })
    }
}

/// One resource as a search lists it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResourceHit {
    pub id: String,
    pub title_zh: String,
    pub title_en: String,
    pub summary_zh: String,
    pub summary_en: String,
    pub resource_type: ResourceType,
    pub evidence_rating: Option<EvidenceRating>,
    pub agency_id: String,
    pub status: ResourceStatus,
    pub published_at: Option<DateTime<Utc>>,
    pub updated_at: DateTime<Utc>,
    pub uses: i64,
}

/// How many of the results carry one value of a facet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    pub count: i64,
}

/// The facets of a search's results, each value with its count, most first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Facets {
    pub resource_type: Vec<FacetCount>,
    pub topic: Vec<FacetCount>,
    pub evidence_rating: Vec<FacetCount>,
    pub audience: Vec<FacetCount>,
    pub language: Vec<FacetCount>,
    pub agency: Vec<FacetCount>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct ResourceResults {
    pub items: Vec<ResourceHit>,
    pub total: i64,
    pub page: i64,
    pub per_page: i64,
    pub facets: Facets,
    /// The agencies named in the facets and hits.
    pub agencies: Vec<AgencyRef>,
}

/// The version a deletion was read at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct VersionQuery {
    pub version: i64,
}

/// A file sent to a resource: its name as the sender had it, and the resource's version
/// read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[serde(deny_unknown_fields)]
pub struct UploadQuery {
    pub name: String,
    pub version: i64,
}

impl UploadQuery {
    pub fn file_name(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.check("name", file_name(&self.name));
        errors.into_result(|| name.unwrap_or_default())
    }
}

/// A named personal collection of resources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Collection {
    pub id: String,
    pub name: String,
    pub resources: Vec<ResourceHit>,
    pub version: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CollectionForm {
    #[serde(default)]
    pub name: String,
    /// The version renamed; none for a new collection.
    pub version: Option<i64>,
}

impl CollectionForm {
    pub fn parse(&self) -> Result<String, ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let name = errors.check(
            "name",
            required(one_line(&self.name, COLLECTION_NAME_MAX), "The name"),
        );
        errors.into_result(|| name.unwrap_or_default())
    }
}

/// The reader's bookmarks and collections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Shelf {
    pub bookmarks: Vec<ResourceHit>,
    pub collections: Vec<Collection>,
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOTH: Standing = Standing {
        contributor: true,
        reviewer: true,
    };
    const CONTRIBUTOR: Standing = Standing {
        contributor: true,
        reviewer: false,
    };
    const REVIEWER: Standing = Standing {
        contributor: false,
        reviewer: true,
    };

    #[test]
    fn a_contributor_submits_and_a_reviewer_publishes() {
        use ResourceStatus::*;
        assert_eq!(Draft.next_steps(CONTRIBUTOR), vec![Submitted]);
        assert_eq!(Submitted.next_steps(CONTRIBUTOR), vec![Draft]);
        assert!(Approved.next_steps(CONTRIBUTOR).is_empty());
        assert_eq!(Submitted.next_steps(REVIEWER), vec![Draft, Approved]);
        assert_eq!(Approved.next_steps(REVIEWER), vec![Draft, Published]);
        assert_eq!(Published.next_steps(REVIEWER), vec![Archived]);
        assert_eq!(Archived.next_steps(BOTH), vec![Draft]);
        assert!(!Draft.may_become(Published, BOTH));
        assert!(Draft.editable(CONTRIBUTOR) && !Submitted.editable(CONTRIBUTOR));
        assert!(Published.editable(REVIEWER) && !Archived.editable(REVIEWER));
    }

    #[test]
    fn visibility_is_decided_by_status_agency_and_standing() {
        let published = |visibility| Shelved {
            agency_id: "a",
            created_by: "author",
            status: ResourceStatus::Published,
            visibility,
        };
        let staff = |user_id, agency_id, reviewer| Reader::Staff {
            user_id,
            agency_id,
            reviewer,
        };
        let other = staff("u", Some("b"), false);
        let colleague = staff("u", Some("a"), false);
        assert!(Reader::Anonymous.sees(&published(Visibility::Public)));
        assert!(!Reader::Anonymous.sees(&published(Visibility::AllAgencies)));
        assert!(other.sees(&published(Visibility::AllAgencies)));
        assert!(!other.sees(&published(Visibility::OwnAgency)));
        assert!(colleague.sees(&published(Visibility::OwnAgency)));
        let draft = Shelved {
            status: ResourceStatus::Draft,
            ..published(Visibility::Public)
        };
        assert!(!colleague.sees(&draft));
        assert!(!Reader::Anonymous.sees(&draft));
        assert!(staff("author", Some("a"), false).sees(&draft));
        assert!(staff("r", Some("a"), true).sees(&draft));
        assert!(!staff("r", Some("b"), true).sees(&draft));
        assert!(staff("r", None, true).sees(&draft));
    }

    fn form() -> ResourceForm {
        ResourceForm {
            title_zh: " 親子 溝通 工作紙 ".into(),
            title_en: "Parent-child talk worksheet".into(),
            summary_zh: "給家長的練習。".into(),
            summary_en: "Exercises for parents.".into(),
            resource_type: Some(ResourceType::Worksheet),
            topics: vec!["parent_child".into(), "parent_child".into()],
            factors: vec![ResourceFactor::Communication],
            audiences: vec![Audience::Parents],
            languages: vec![
                ResourceLanguage::TraditionalChinese,
                ResourceLanguage::English,
            ],
            licence: Some(Licence::CcByNc),
            authors: "陳美玲".into(),
            citation: String::new(),
            link: Some(" https://example.org/x ".into()),
            visibility: Some(Visibility::AllAgencies),
            version: None,
        }
    }

    #[test]
    fn a_resource_form_is_cleaned_and_every_problem_named() {
        let content = form().parse().unwrap();
        assert_eq!(content.title_zh, "親子 溝通 工作紙");
        assert_eq!(content.topics, vec!["parent_child"]);
        assert_eq!(content.link.as_deref(), Some("https://example.org/x"));
        let bad = ResourceForm {
            title_en: " ".into(),
            topics: vec![],
            audiences: vec![],
            link: Some("example.org".into()),
            licence: None,
            ..form()
        };
        let errors = bad.parse().unwrap_err();
        let fields: Vec<&str> = errors.0.keys().map(String::as_str).collect();
        assert_eq!(
            fields,
            vec!["audiences", "licence", "link", "title_en", "topics"]
        );
    }

    #[test]
    fn going_back_to_draft_says_why() {
        let step = |to, note: &str| StepForm {
            to,
            note: note.into(),
            version: 1,
        };
        let draft = |note| step(ResourceStatus::Draft, note);
        assert!(draft("")
            .parse(ResourceStatus::Submitted, REVIEWER)
            .is_err());
        assert!(draft("").parse(ResourceStatus::Approved, BOTH).is_err());
        assert_eq!(
            draft("").parse(ResourceStatus::Submitted, CONTRIBUTOR),
            Ok(String::new())
        );
        assert_eq!(
            draft("請補充參考資料").parse(ResourceStatus::Submitted, REVIEWER),
            Ok("請補充參考資料".to_owned())
        );
        let publish = step(ResourceStatus::Published, "");
        assert_eq!(
            publish.parse(ResourceStatus::Approved, REVIEWER),
            Ok(String::new())
        );
    }

    #[test]
    fn a_file_keeps_its_name_without_folders() {
        let named = |name: &str| UploadQuery {
            name: name.into(),
            version: 1,
        };
        assert_eq!(
            named("C:\\Users\\x\\親子 工作紙.pdf").file_name(),
            Ok("親子 工作紙.pdf".into())
        );
        assert_eq!(named("../../etc/passwd").file_name(), Ok("passwd".into()));
        assert!(named("dir/").file_name().is_err());
    }

    #[test]
    fn relevance_needs_words() {
        let query = ResourceQuery {
            sort: Some(ResourceSort::Relevance),
            ..Default::default()
        };
        assert!(query.parse().unwrap_err().0.contains_key("sort"));
        let spec = ResourceQuery {
            q: Some(" 家庭  暴力 ".into()),
            ..Default::default()
        }
        .parse()
        .unwrap();
        assert_eq!(
            (spec.q.as_str(), spec.sort),
            ("家庭 暴力", ResourceSort::Relevance)
        );
        assert_eq!(spec.status, ResourceStatus::Published);
    }
}
