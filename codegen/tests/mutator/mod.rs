//! The seeded random editor of `spec/openapi.yaml` the mutation tests
//! share (codegen's, and upstream-diff's through `#[path]`): 2 to 4 small
//! edits per mutant (delete, duplicate, re-indent or swap lines; change a
//! scalar's type; drop a `$ref` target; rename an operation or a
//! parameter), each described for a failure message.

/// splitmix64: small, fast and good enough to pick edits.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

/// The seed of mutant `index` of the series `seed`.
pub(crate) fn mutant_seed(seed: u64, index: u64) -> u64 {
    Rng(seed ^ index.wrapping_mul(0xa076_1d64_78bd_642f)).next()
}

/// Makes 2 to 4 edits to `spec`; returns the mutant and what was done.
pub(crate) fn mutate(spec: &str, seed: u64) -> (String, Vec<String>) {
    let mut rng = Rng(seed);
    let mut lines: Vec<String> = spec.lines().map(str::to_owned).collect();
    let mut edits = Vec::new();
    for _ in 0..2 + rng.below(3) {
        if let Some(edit) = edit(&mut lines, &mut rng) {
            edits.push(edit);
        }
    }
    (lines.join("\n") + "\n", edits)
}

/// One random edit, described; `None` when the chosen kind found nothing
/// to edit.
fn edit(lines: &mut Vec<String>, rng: &mut Rng) -> Option<String> {
    if lines.is_empty() {
        return None;
    }
    let at = rng.below(lines.len());
    match rng.below(8) {
        0 => {
            let gone = lines.remove(at);
            Some(format!("line {}: deleted `{gone}`", at + 1))
        }
        1 => {
            lines.insert(at, lines[at].clone());
            Some(format!("line {}: duplicated `{}`", at + 1, lines[at]))
        }
        2 => {
            let line = &mut lines[at];
            if rng.below(2) == 0 {
                line.insert_str(0, "  ");
            } else {
                let spaces = line.len() - line.trim_start().len();
                line.drain(..spaces.min(2));
            }
            Some(format!("line {}: re-indented to `{line}`", at + 1))
        }
        3 => {
            // A neighbour: far swaps almost never leave valid YAML.
            let other = (at + 1).min(lines.len() - 1);
            lines.swap(at, other);
            Some(format!("lines {} and {}: swapped", at + 1, other + 1))
        }
        4 => {
            let candidates = matching(lines, |line| {
                line.split_once(": ")
                    .is_some_and(|(_, value)| !value.is_empty())
            });
            let at = *pick(&candidates, rng)?;
            let (key, _) = lines[at].split_once(": ")?;
            let value = [
                "42", "-1.5", "true", "null", "''", "[]", "{}", "text", "[1, 2]",
            ][rng.below(9)];
            lines[at] = format!("{key}: {value}");
            Some(format!("line {}: value changed to `{}`", at + 1, lines[at]))
        }
        5 => {
            // A component that `$ref`s name, renamed so they point at nothing.
            let start = lines.iter().position(|line| line == "  schemas:")?;
            let candidates: Vec<usize> = (start + 1..lines.len())
                .filter(|&i| lines[i].starts_with("    ") && !lines[i].starts_with("     "))
                .collect();
            let at = *pick(&candidates, rng)?;
            lines[at] = lines[at].replacen(':', "Gone:", 1);
            Some(format!(
                "line {}: component renamed to `{}`",
                at + 1,
                lines[at]
            ))
        }
        6 => {
            let candidates = matching(lines, |line| line.trim_start().starts_with("operationId: "));
            let at = *pick(&candidates, rng)?;
            let others: Vec<String> =
                matching(lines, |line| line.trim_start().starts_with("operationId: "))
                    .into_iter()
                    .map(|i| lines[i].trim_start().to_owned())
                    .collect();
            let indent = lines[at].len() - lines[at].trim_start().len();
            let renamed = match rng.below(3) {
                0 => others[rng.below(others.len())].clone(),
                1 => "operationId: listThingsCamel".to_owned(),
                _ => format!("operationId: renamed_{}", rng.below(1000)),
            };
            lines[at] = format!("{}{renamed}", " ".repeat(indent));
            Some(format!(
                "line {}: operation renamed to `{}`",
                at + 1,
                lines[at]
            ))
        }
        _ => {
            let candidates = matching(lines, |line| line.trim_start().starts_with("- name: "));
            let at = *pick(&candidates, rng)?;
            let name = ["project_id", "id", "limit", "short_id", "x-y", "a b", ""][rng.below(7)];
            let (before, _) = lines[at].split_once("name: ")?;
            lines[at] = format!("{before}name: {name}");
            Some(format!(
                "line {}: parameter renamed to `{}`",
                at + 1,
                lines[at]
            ))
        }
    }
}

fn matching(lines: &[String], keep: impl Fn(&str) -> bool) -> Vec<usize> {
    (0..lines.len()).filter(|&i| keep(&lines[i])).collect()
}

fn pick<'a, T>(items: &'a [T], rng: &mut Rng) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.below(items.len())])
}
