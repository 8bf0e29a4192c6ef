//! Tasks of an incident's response and the data that creates them: the default tasks of the
//! eleven steps of Phụ lục III (lead and supporting units named as *roles* that the use cases
//! resolve to the incident's organisations) and the scenario playbooks. Pure rules: parsing,
//! validation and the playbook text format of the edit page.

use crate::incident::{IncidentState, LINE_MAX};
use crate::org::OrgKind;
use crate::text::nfc;
use crate::validate::{Errors, FieldError};
use serde::{Deserialize, Serialize};
use std::str::FromStr;
use time::Date;

/// Most checklist items one task may carry.
pub const CHECKLIST_MAX: usize = 50;
/// Most supporting organisations of one task.
pub const SUPPORT_MAX: usize = 20;
/// Most tasks in one step or playbook.
pub const TEMPLATE_TASKS_MAX: usize = 40;

/// Where a task stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    /// Not started.
    Open,
    /// Being worked on.
    InProgress,
    /// Finished.
    Done,
    /// Not needed any more.
    Cancelled,
}

impl TaskStatus {
    /// Every status, in the order forms show them.
    pub const ALL: [TaskStatus; 4] = [
        TaskStatus::Open,
        TaskStatus::InProgress,
        TaskStatus::Done,
        TaskStatus::Cancelled,
    ];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskStatus::Open => "open",
            TaskStatus::InProgress => "in_progress",
            TaskStatus::Done => "done",
            TaskStatus::Cancelled => "cancelled",
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            TaskStatus::Open => "task.status.open",
            TaskStatus::InProgress => "task.status.in_progress",
            TaskStatus::Done => "task.status.done",
            TaskStatus::Cancelled => "task.status.cancelled",
        }
    }

    /// Done or cancelled.
    pub fn is_closed(self) -> bool {
        matches!(self, TaskStatus::Done | TaskStatus::Cancelled)
    }
}

impl FromStr for TaskStatus {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        TaskStatus::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(())
    }
}

/// What a task is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// Work of the response.
    #[default]
    Task,
    /// An additional measure decided in the review (row 11), tracked to completion.
    Measure,
    /// The recovery verification checklist (row 10): every item is ticked before the review.
    RecoveryCheck,
}

impl TaskKind {
    /// Every kind.
    pub const ALL: [TaskKind; 3] = [TaskKind::Task, TaskKind::Measure, TaskKind::RecoveryCheck];

    /// Stable code.
    pub fn as_str(self) -> &'static str {
        match self {
            TaskKind::Task => "task",
            TaskKind::Measure => "measure",
            TaskKind::RecoveryCheck => "recovery_check",
        }
    }
}

impl FromStr for TaskKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        TaskKind::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(())
    }
}

/// A unit of Phụ lục III named by its part in the response, not by name, so the same data
/// serves any province: the use cases find the organisation that plays it for an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitRole {
    /// Đơn vị quản lý, vận hành hệ thống thông tin: the incident's owner organisation, or the
    /// registry's operator of its system.
    SystemOperator,
    /// Chủ quản hệ thống thông tin: the registry's owner of the system, else the incident's
    /// owner organisation.
    SystemOwner,
    /// Sở Thông tin và Truyền thông, the provincial coordinator.
    Coordinator,
    /// Đội ứng cứu khẩn cấp sự cố an toàn thông tin mạng tỉnh.
    ResponseTeam,
    /// Ban Chỉ đạo (Chuyển đổi số tỉnh).
    SteeringCommittee,
    /// VNCERT/CC, the national coordinator.
    Vncert,
    /// Các đơn vị liên quan khác: named by people on the task, never resolved automatically.
    Others,
}

impl UnitRole {
    /// Every role.
    pub const ALL: [UnitRole; 7] = [
        UnitRole::SystemOperator,
        UnitRole::SystemOwner,
        UnitRole::Coordinator,
        UnitRole::ResponseTeam,
        UnitRole::SteeringCommittee,
        UnitRole::Vncert,
        UnitRole::Others,
    ];

    /// Stable code (the JSON spelling).
    pub fn as_str(self) -> &'static str {
        match self {
            UnitRole::SystemOperator => "system_operator",
            UnitRole::SystemOwner => "system_owner",
            UnitRole::Coordinator => "coordinator",
            UnitRole::ResponseTeam => "response_team",
            UnitRole::SteeringCommittee => "steering_committee",
            UnitRole::Vncert => "vncert",
            UnitRole::Others => "others",
        }
    }

    /// The organisation kind that plays the role province-wide, for the roles that are not
    /// found through the incident.
    pub fn org_kind(self) -> Option<OrgKind> {
        match self {
            UnitRole::Coordinator => Some(OrgKind::Coordinator),
            UnitRole::ResponseTeam => Some(OrgKind::Csirt),
            UnitRole::SteeringCommittee => Some(OrgKind::Steering),
            UnitRole::Vncert => Some(OrgKind::National),
            _ => None,
        }
    }

    /// Translation key of the label.
    pub fn label_key(self) -> &'static str {
        match self {
            UnitRole::SystemOperator => "task.role.system_operator",
            UnitRole::SystemOwner => "task.role.system_owner",
            UnitRole::Coordinator => "task.role.coordinator",
            UnitRole::ResponseTeam => "task.role.response_team",
            UnitRole::SteeringCommittee => "task.role.steering_committee",
            UnitRole::Vncert => "task.role.vncert",
            UnitRole::Others => "task.role.others",
        }
    }
}

impl FromStr for UnitRole {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        UnitRole::ALL
            .into_iter()
            .find(|x| x.as_str() == s)
            .ok_or(())
    }
}

/// A task to create: in a step's defaults or a playbook.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TaskTemplate {
    /// The step of Phụ lục III it belongs to (playbooks; a step's defaults take their step's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step: Option<u8>,
    /// Title (Vietnamese).
    pub title: String,
    /// What to do, when more than the title is needed.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// What the task is for.
    #[serde(default, skip_serializing_if = "is_plain_task")]
    pub kind: TaskKind,
    /// The lead units, first found leads; the other leads found join the supporting units.
    #[serde(default)]
    pub lead: Vec<UnitRole>,
    /// The supporting units.
    #[serde(default)]
    pub support: Vec<UnitRole>,
    /// Checklist items.
    #[serde(default)]
    pub checklist: Vec<String>,
}

fn is_plain_task(k: &TaskKind) -> bool {
    *k == TaskKind::Task
}

impl TaskTemplate {
    fn validate(&mut self, e: &mut Errors, at: &str) {
        self.title = line(e, &format!("{at}.title"), &self.title, true);
        if !self.description.is_empty() {
            self.description = long(e, &format!("{at}.description"), &self.description);
        }
        if let Some(s) = self.step
            && !(1..=11).contains(&s)
        {
            e.add(&format!("{at}.step"), "task.err.step");
        }
        if self.lead.is_empty() {
            e.add(&format!("{at}.lead"), "err.required");
        }
        if self.support.len() > SUPPORT_MAX {
            e.add(&format!("{at}.support"), "err.too_many_items");
        }
        if self.checklist.len() > CHECKLIST_MAX {
            e.add(&format!("{at}.checklist"), "err.too_many_items");
        }
        for (j, item) in self.checklist.iter_mut().enumerate() {
            *item = line(e, &format!("{at}.checklist[{j}]"), item, true);
        }
    }
}

/// The default tasks of one step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDefault {
    /// 1 to 11, the rows of Phụ lục III.
    pub step: u8,
    /// The incident state whose entry creates the tasks (a state code).
    pub state: String,
    /// The step's name (Vietnamese).
    pub title_vi: String,
    /// The step's name (English).
    pub title_en: String,
    /// Its tasks.
    pub tasks: Vec<TaskTemplate>,
}

/// Every step's default tasks: the province's Phụ lục III as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepDefaults {
    /// The steps, each at most once.
    pub steps: Vec<StepDefault>,
}

impl StepDefaults {
    /// Checks and normalises (NFC, trimmed lines); errors name the path of the field.
    pub fn validate(mut self) -> Result<StepDefaults, Vec<FieldError>> {
        let mut e = Errors::default();
        if self.steps.len() > 11 {
            e.add("steps", "err.too_many_items");
        }
        let mut seen = Vec::new();
        for (i, s) in self.steps.iter_mut().enumerate() {
            let at = format!("steps[{i}]");
            if !(1..=11).contains(&s.step) {
                e.add(&format!("{at}.step"), "task.err.step");
            } else if seen.contains(&s.step) {
                e.add(&format!("{at}.step"), "task.err.step_twice");
            }
            seen.push(s.step);
            if s.state.parse::<IncidentState>().is_err() {
                e.add(&format!("{at}.state"), "incident.err.state");
            }
            s.title_vi = line(&mut e, &format!("{at}.title_vi"), &s.title_vi, true);
            s.title_en = line(&mut e, &format!("{at}.title_en"), &s.title_en, true);
            if s.tasks.len() > TEMPLATE_TASKS_MAX {
                e.add(&format!("{at}.tasks"), "err.too_many_items");
            }
            for (j, t) in s.tasks.iter_mut().enumerate() {
                t.step = None;
                t.validate(&mut e, &format!("{at}.tasks[{j}]"));
            }
        }
        e.into_result()?;
        self.steps.sort_by_key(|s| s.step);
        Ok(self)
    }

    /// The steps whose tasks are created when an incident enters `state`.
    pub fn for_state(&self, state: IncidentState) -> impl Iterator<Item = &StepDefault> {
        self.steps.iter().filter(move |s| s.state == state.as_str())
    }
}

/// A scenario playbook: what to do for one kind of incident, step by step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Playbook {
    /// Stable code, e.g. `ransomware` (a slug).
    pub code: String,
    /// Title (Vietnamese).
    pub title_vi: String,
    /// Title (English).
    pub title_en: String,
    /// When to use it (Vietnamese).
    #[serde(default)]
    pub summary: String,
    /// Its tasks in order.
    pub tasks: Vec<TaskTemplate>,
}

impl Playbook {
    /// Checks and normalises; a task without lead units is led by the system operator.
    pub fn validate(mut self) -> Result<Playbook, Vec<FieldError>> {
        let mut e = Errors::default();
        self.code = e.slug("code", &self.code);
        self.title_vi = line(&mut e, "title_vi", &self.title_vi, true);
        self.title_en = line(&mut e, "title_en", &self.title_en, true);
        if !self.summary.is_empty() {
            self.summary = long(&mut e, "summary", &self.summary);
        }
        if self.tasks.is_empty() {
            e.add("tasks", "err.required");
        }
        if self.tasks.len() > TEMPLATE_TASKS_MAX {
            e.add("tasks", "err.too_many_items");
        }
        for (j, t) in self.tasks.iter_mut().enumerate() {
            if t.lead.is_empty() {
                t.lead.push(UnitRole::SystemOperator);
            }
            t.validate(&mut e, &format!("tasks[{j}]"));
        }
        e.into_result()?;
        Ok(self)
    }
}

/// One line of text: NFC, trimmed, at most [`LINE_MAX`] characters, no control characters.
fn line(e: &mut Errors, field: &str, v: &str, required: bool) -> String {
    let v = nfc(v).trim().to_string();
    if v.is_empty() {
        if required {
            e.add(field, "err.required");
        }
    } else if v.chars().count() > LINE_MAX {
        e.add(field, "err.too_long");
    } else if v.chars().any(char::is_control) {
        e.add(field, "err.control_chars");
    }
    v
}

/// A long text: NFC, line endings `\n`, at most `LONG_MAX` characters.
fn long(e: &mut Errors, field: &str, v: &str) -> String {
    crate::incident::long_text(e, field, v, false).unwrap_or_default()
}

/// A task title as typed (one line, required).
pub fn title(e: &mut Errors, field: &str, v: &str) -> String {
    line(e, field, v, true)
}

/// A checklist item as typed (one line, required).
pub fn checklist_item(e: &mut Errors, field: &str, v: &str) -> String {
    line(e, field, v, true)
}

/// A due date `YYYY-MM-DD` (empty: none).
pub fn due_date(e: &mut Errors, field: &str, v: &str) -> Option<Date> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    match Date::parse(v, &fmt) {
        Ok(d) if (2000..=2100).contains(&d.year()) => Some(d),
        _ => {
            e.add(field, "err.date_invalid");
            None
        }
    }
}

/// A step number as typed (empty: none).
pub fn step(e: &mut Errors, field: &str, v: Option<i64>) -> Option<u8> {
    match v {
        None => None,
        Some(n) if (1..=11).contains(&n) => Some(n as u8),
        Some(_) => {
            e.add(field, "task.err.step");
            None
        }
    }
}

/// The playbook's tasks as the edit page's text: one task per `# ` line (with `[n]` for its
/// step and `{lead; support}` roles when not the defaults), its checklist items as `- ` lines.
pub fn tasks_to_text(tasks: &[TaskTemplate]) -> String {
    let mut out = String::new();
    for t in tasks {
        out.push_str("# ");
        if let Some(s) = t.step {
            out.push_str(&format!("[{s}] "));
        }
        out.push_str(&t.title);
        let default_lead = t.lead == [UnitRole::SystemOperator];
        if !default_lead || !t.support.is_empty() {
            let names =
                |v: &[UnitRole]| v.iter().map(|r| r.as_str()).collect::<Vec<_>>().join(", ");
            out.push_str(&format!(" {{{}; {}}}", names(&t.lead), names(&t.support)));
        }
        out.push('\n');
        for c in &t.checklist {
            out.push_str("- ");
            out.push_str(c);
            out.push('\n');
        }
    }
    out
}

/// Reads the edit page's text back (see [`tasks_to_text`]); errors name `tasks` and the line.
pub fn tasks_from_text(text: &str) -> Result<Vec<TaskTemplate>, Vec<FieldError>> {
    let mut e = Errors::default();
    let mut tasks: Vec<TaskTemplate> = Vec::new();
    for (n, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(rest) = l.strip_prefix('#') {
            let mut rest = rest.trim();
            let mut step = None;
            if let Some(r) = rest.strip_prefix('[') {
                match r.split_once(']') {
                    Some((num, after)) => {
                        match num.trim().parse::<u8>() {
                            Ok(s) => step = Some(s),
                            Err(_) => e.add(&format!("tasks.line[{}]", n + 1), "task.err.step"),
                        }
                        rest = after.trim();
                    }
                    None => e.add(&format!("tasks.line[{}]", n + 1), "task.err.line"),
                }
            }
            let mut lead = vec![UnitRole::SystemOperator];
            let mut support = Vec::new();
            let mut title = rest.to_string();
            if rest.ends_with('}')
                && let Some((t, roles)) = rest.rsplit_once('{')
            {
                title = t.trim().to_string();
                let roles = roles.trim_end_matches('}');
                let (l, s) = roles.split_once(';').unwrap_or((roles, ""));
                let read = |e: &mut Errors, list: &str| -> Vec<UnitRole> {
                    list.split(',')
                        .map(str::trim)
                        .filter(|x| !x.is_empty())
                        .filter_map(|x| match x.parse::<UnitRole>() {
                            Ok(r) => Some(r),
                            Err(()) => {
                                e.add(&format!("tasks.line[{}]", n + 1), "task.err.role");
                                None
                            }
                        })
                        .collect()
                };
                let l = read(&mut e, l);
                if !l.is_empty() {
                    lead = l;
                }
                support = read(&mut e, s);
            }
            tasks.push(TaskTemplate {
                step,
                title,
                description: String::new(),
                kind: TaskKind::Task,
                lead,
                support,
                checklist: Vec::new(),
            });
        } else if let Some(item) = l.strip_prefix('-') {
            match tasks.last_mut() {
                Some(t) => t.checklist.push(item.trim().to_string()),
                None => e.add(&format!("tasks.line[{}]", n + 1), "task.err.line"),
            }
        } else {
            e.add(&format!("tasks.line[{}]", n + 1), "task.err.line");
        }
    }
    e.into_result()?;
    Ok(tasks)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(title: &str) -> TaskTemplate {
        TaskTemplate {
            step: None,
            title: title.into(),
            description: String::new(),
            kind: TaskKind::Task,
            lead: vec![UnitRole::SystemOperator],
            support: vec![],
            checklist: vec![],
        }
    }

    #[test]
    fn codes_read_back() {
        for s in TaskStatus::ALL {
            assert_eq!(s.as_str().parse::<TaskStatus>(), Ok(s));
        }
        for k in TaskKind::ALL {
            assert_eq!(k.as_str().parse::<TaskKind>(), Ok(k));
        }
        for r in UnitRole::ALL {
            assert_eq!(r.as_str().parse::<UnitRole>(), Ok(r));
            let json = serde_json::to_string(&r).unwrap();
            assert_eq!(json, format!("\"{}\"", r.as_str()));
        }
        assert!("closed".parse::<TaskStatus>().is_err());
    }

    #[test]
    fn step_defaults_name_every_bad_field() {
        let d = StepDefaults {
            steps: vec![
                StepDefault {
                    step: 1,
                    state: "received".into(),
                    title_vi: "Bước 1".into(),
                    title_en: "Step 1".into(),
                    tasks: vec![template("Tiếp nhận")],
                },
                StepDefault {
                    step: 1,
                    state: "nowhere".into(),
                    title_vi: String::new(),
                    title_en: "x".repeat(301),
                    tasks: vec![TaskTemplate {
                        lead: vec![],
                        ..template("")
                    }],
                },
            ],
        };
        let errs = d.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        for f in [
            "steps[1].step",
            "steps[1].state",
            "steps[1].title_vi",
            "steps[1].title_en",
            "steps[1].tasks[0].title",
            "steps[1].tasks[0].lead",
        ] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
    }

    #[test]
    fn due_dates_are_days() {
        let mut e = Errors::default();
        assert_eq!(
            due_date(&mut e, "due_date", "2026-12-01").map(|d| d.to_string()),
            Some("2026-12-01".into())
        );
        assert!(e.is_empty());
        assert_eq!(due_date(&mut e, "due_date", ""), None);
        assert!(e.is_empty());
        for bad in ["2026-13-01", "01/12/2026", "2026-02-30", "tomorrow"] {
            let mut e = Errors::default();
            assert_eq!(due_date(&mut e, "due_date", bad), None, "{bad}");
            assert_eq!(e.0[0].field, "due_date");
        }
    }

    #[test]
    fn the_playbook_text_reads_back_what_it_wrote() {
        let tasks = vec![
            TaskTemplate {
                step: Some(7),
                checklist: vec!["Cô lập máy".into(), "Chụp bộ nhớ".into()],
                ..template("Khoanh vùng")
            },
            TaskTemplate {
                lead: vec![UnitRole::ResponseTeam, UnitRole::SystemOperator],
                support: vec![UnitRole::Vncert],
                ..template("Phân tích mẫu {mã độc}")
            },
        ];
        let text = tasks_to_text(&tasks);
        assert_eq!(tasks_from_text(&text).unwrap(), tasks);
        let errs =
            tasks_from_text("- trước mọi nhiệm vụ\n# [x] A\n# B {nobody}\nlạc dòng").unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "tasks.line[1]",
                "tasks.line[2]",
                "tasks.line[3]",
                "tasks.line[4]"
            ]
        );
    }

    #[test]
    fn a_playbook_needs_tasks_and_titles() {
        let p = Playbook {
            code: "Bad Code".into(),
            title_vi: String::new(),
            title_en: "Ransomware".into(),
            summary: String::new(),
            tasks: vec![],
        };
        let errs = p.validate().unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["code", "title_vi", "tasks"]);
    }
}
