//! From a JSON pointer back to a line in the YAML the author edits, so a
//! validation problem can be opened in an editor (`file:line:column`).
//! serde_yaml keeps no positions for parsed values, so this follows the
//! pointer down the indentation of block-style YAML, the style the spec is
//! written in; inside flow style (`{…}`, `[…]`) it stops at the enclosing
//! line, which is still where to look.

use std::ops::Range;

/// 1-based `(line, column)` of the node at `pointer` (`#/a/b~1c/0`), or of
/// the deepest ancestor found; `None` when not even the first step is found.
pub(crate) fn locate(text: &str, pointer: &str) -> Option<(usize, usize)> {
    let lines: Vec<Line<'_>> = text.lines().map(Line::new).collect();
    let mut block = 0..lines.len();
    let mut parent = None;
    let mut found = None;
    for segment in pointer.strip_prefix('#')?.split('/').skip(1) {
        let segment = segment.replace("~1", "/").replace("~0", "~");
        // A number is a sequence index, unless a key spells it (`'200':`).
        let step = find_key(&lines, block.clone(), parent, &segment).or_else(|| {
            let position = segment.parse().ok()?;
            find_item(&lines, block.clone(), parent, position)
        });
        let Some(step) = step else { break };
        found = Some((step.line + 1, step.column + 1));
        parent = Some(step.column);
        block = step.line + usize::from(!step.is_item)..block_end(&lines, &step, block.end);
    }
    found
}

/// A line found for one pointer segment.
struct Step {
    line: usize,
    column: usize,
    /// A sequence item (`- …`), whose first key sits on its own line.
    is_item: bool,
}

/// Where the node found at `step` ends: the next line as far left as it
/// (for a key, sequence items at its own indent still belong to it).
fn block_end(lines: &[Line<'_>], step: &Step, limit: usize) -> usize {
    (step.line + 1..limit)
        .find(|&i| match lines[i].indent {
            Some(indent) if indent < step.column => true,
            Some(indent) if indent == step.column => step.is_item || !lines[i].is_item(),
            _ => false,
        })
        .unwrap_or(limit)
}

/// One line: its indentation (`None` for blank and comment lines) and text.
struct Line<'a> {
    indent: Option<usize>,
    text: &'a str,
}

impl<'a> Line<'a> {
    fn new(raw: &'a str) -> Self {
        let text = raw.trim_start();
        let indent = (!text.is_empty() && !text.starts_with('#')).then(|| raw.len() - text.len());
        Self { indent, text }
    }

    fn is_item(&self) -> bool {
        self.text.starts_with("- ")
    }

    /// The key this line defines, if any, and its column: `- key: …`
    /// defines `key` two columns right of the dash.
    fn key(&self) -> Option<(&'a str, usize)> {
        let indent = self.indent?;
        let (text, column) = match self.text.strip_prefix("- ") {
            Some(rest) => (rest, indent + 2),
            None => (self.text, indent),
        };
        let key = text
            .split_once(": ")
            .map_or_else(|| text.strip_suffix(':'), |(key, _)| Some(key))?;
        Some((key.trim_matches(|c| c == '\'' || c == '"'), column))
    }
}

/// Whether `column` lies inside a node that starts at `parent`.
fn below(parent: Option<usize>, column: usize) -> bool {
    parent.is_none_or(|parent| column > parent)
}

/// The key `segment` among the first-level keys of `block`.
fn find_key(
    lines: &[Line<'_>],
    block: Range<usize>,
    parent: Option<usize>,
    segment: &str,
) -> Option<Step> {
    let keys = block.filter_map(|i| lines[i].key().map(|(key, column)| (i, key, column)));
    let mut keys = keys
        .filter(|&(_, _, column)| below(parent, column))
        .peekable();
    let level = keys.peek()?.2;
    keys.filter(|&(_, _, column)| column == level)
        .find(|&(_, key, _)| key == segment)
        .map(|(line, _, column)| Step {
            line,
            column,
            is_item: false,
        })
}

/// Item number `position` of the sequence in `block` (which may sit at the
/// same indent as its key).
fn find_item(
    lines: &[Line<'_>],
    block: Range<usize>,
    parent: Option<usize>,
    position: usize,
) -> Option<Step> {
    let column = block
        .clone()
        .filter(|&i| lines[i].is_item())
        .filter_map(|i| lines[i].indent)
        .find(|&indent| below(parent, indent) || parent == Some(indent))?;
    block
        .filter(|&i| lines[i].is_item() && lines[i].indent == Some(column))
        .nth(position)
        .map(|line| Step {
            line,
            column,
            is_item: true,
        })
}

#[cfg(test)]
mod tests {
    use super::locate;

    const YAML: &str = "\
openapi: 3.0.3
paths:
  /a/{id}/:
    get:
      # a comment
      operationId: a
      parameters:
        - name: id
          in: path
        - $ref: '#/components/parameters/X'
      responses:
        '200':
          content:
            application/json:
              schema: {type: string}
";

    #[test]
    fn follows_keys_items_and_escapes() {
        assert_eq!(locate(YAML, "#/paths/~1a~1{id}~1/get"), Some((4, 5)));
        assert_eq!(
            locate(YAML, "#/paths/~1a~1{id}~1/get/operationId"),
            Some((6, 7))
        );
        assert_eq!(
            locate(YAML, "#/paths/~1a~1{id}~1/get/parameters/1/$ref"),
            Some((10, 11))
        );
        assert_eq!(
            locate(
                YAML,
                "#/paths/~1a~1{id}~1/get/responses/200/content/application~1json/schema"
            ),
            Some((15, 15))
        );
    }

    #[test]
    fn stops_at_the_deepest_node_found() {
        assert_eq!(
            locate(
                YAML,
                "#/paths/~1a~1{id}~1/get/responses/200/content/application~1json/schema/type"
            ),
            Some((15, 15))
        );
        assert_eq!(locate(YAML, "#/paths/~1nope~1"), Some((2, 1)));
        assert_eq!(locate(YAML, "#/nope"), None);
    }
}
