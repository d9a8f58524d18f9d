//! One fixture pair per rule of the crate docs (`rule_7_…` for R7), each a
//! small edit of `base.yaml`, with its breaking and its compatible
//! counterpart; then how `$ref`s are followed and how a schema's use
//! decides its rules.

use codegen::reading;
use spec_diff::Severity;

use super::{BASE, CREATE, LIST, RETRIEVE, between, diff, diff_texts, edit, parse};

const RETRIEVE_PATH: &str = "  /api/projects/{project_id}/playlists/{short_id}/:\n";
const SEARCH: &str = "        - name: search\n          in: query\n          required: false\n          schema: {type: string}\n";

// Rule 1: an operation removed, or its path or method changed.

#[test]
fn rule_1_operation_removed_is_breaking() {
    let diff = diff(&[(between(RETRIEVE_PATH, "components:"), "")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R1] operation removed — `Client::playlists_retrieve`, its builder `builder::PlaylistsRetrieve` and `operations::PLAYLISTS_RETRIEVE` are removed",
    );
}

#[test]
fn rule_1_path_changed_is_breaking() {
    let diff = diff(&[(
        RETRIEVE_PATH,
        "  /api/projects/{project_id}/playlist/{short_id}/:\n",
    )]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        "`GET /api/projects/{project_id}/playlist/{short_id}/` (`playlists_retrieve`)",
        "breaking",
        "[R1] moved from `GET /api/projects/{project_id}/playlists/{short_id}/` to `GET /api/projects/{project_id}/playlist/{short_id}/` — the method keeps its name but requests go elsewhere; mocks, proxies and servers that answer the old endpoint no longer match",
    );
}

#[test]
fn rule_1_method_changed_is_breaking() {
    let diff = diff(&[(
        "    post:\n      operationId: playlists_create\n",
        "    put:\n      operationId: playlists_create\n",
    )]);
    // PUT is idempotent by HTTP's rules, so the client would start repeating
    // it too (rule 11).
    diff.assert_verdict("2 breaking, 0 compatible changes");
    diff.assert_bullet(
        "`PUT /api/projects/{project_id}/playlists/` (`playlists_create`)",
        "breaking",
        "[R11] changed from not safe to repeat (undeclared, as for any `POST`) to safe to repeat (undeclared, as for any `PUT`) — the client now repeats it after a 5xx, a reset connection or a timeout, when PostHog may already have acted: confirm in PostHog's code that doing it twice is harmless",
    );
    diff.assert_bullet(
        "`PUT /api/projects/{project_id}/playlists/` (`playlists_create`)",
        "breaking",
        "[R1] moved from `POST /api/projects/{project_id}/playlists/` to `PUT /api/projects/{project_id}/playlists/` — the method keeps its name but requests go elsewhere; mocks, proxies and servers that answer the old endpoint no longer match",
    );
}

#[test]
fn rule_1_operation_added_is_compatible() {
    let destroy = "    delete:
      operationId: playlists_destroy
      parameters:
        - $ref: '#/components/parameters/ProjectId'
        - {name: short_id, in: path, required: true, schema: {type: string}}
      responses:
        '204':
          description: Deleted.
components:
";
    let diff = diff(&[("components:\n", destroy)]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        "`DELETE /api/projects/{project_id}/playlists/{short_id}/` (`playlists_destroy`)",
        "compatible",
        "[C1] operation added — new method `Client::playlists_destroy`",
    );
}

// Rule 2: an `operationId` renamed.

#[test]
fn rule_2_operation_id_renamed_is_breaking() {
    let diff = diff(&[(
        "operationId: playlists_retrieve",
        "operationId: playlists_get",
    )]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        "`GET /api/projects/{project_id}/playlists/{short_id}/` (`playlists_get`)",
        "breaking",
        "[R2] `operationId` renamed from `playlists_retrieve` to `playlists_get` — `Client::playlists_retrieve` becomes `Client::playlists_get` and `builder::PlaylistsRetrieve` becomes `builder::PlaylistsGet`",
    );
}

#[test]
fn rule_2_summary_changed_is_compatible() {
    let diff = diff(&[(
        "summary: Retrieve a playlist",
        "summary: Fetch one playlist by its short id",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        RETRIEVE,
        "compatible",
        "[C6] documentation changed (`summary`) — doc comments only; no Rust type changes",
    );
}

// Rule 3: a required parameter added, or an optional one made required.

#[test]
fn rule_3_required_parameter_added_is_breaking() {
    let owner = format!(
        "{SEARCH}        - {{name: owner, in: query, required: true, schema: {{type: string}}}}\n"
    );
    let diff = diff(&[(SEARCH, &owner)]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        LIST,
        "breaking",
        "[R3] parameter `owner` (query): added (required) — every call must now set `.owner(..)`; without it `send()` fails",
    );
}

#[test]
fn rule_3_optional_parameter_added_is_compatible() {
    let owner = format!("{SEARCH}        - {{name: owner, in: query, schema: {{type: string}}}}\n");
    let diff = diff(&[(SEARCH, &owner)]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        LIST,
        "compatible",
        "[C1] parameter `owner` (query): added (optional) — a new builder method `.owner(..)`; calls may leave it out",
    );
}

#[test]
fn rule_3_optional_parameter_made_required_is_breaking() {
    let diff = diff(&[(SEARCH, &SEARCH.replace("required: false", "required: true"))]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        LIST,
        "breaking",
        "[R3] parameter `search` (query): made required — every call must now set `.search(..)`; without it `send()` fails",
    );
}

#[test]
fn rule_3_required_parameter_made_optional_is_compatible() {
    let required = SEARCH.replace("required: false", "required: true");
    let diff = diff_texts(&edit(BASE, &[(SEARCH, &required)]), BASE);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        LIST,
        "compatible",
        "[C1] parameter `search` (query): made optional — calls may leave it out; `.search(..)` keeps its signature",
    );
}

// Rule 4: a parameter removed, or its type or location changed.

#[test]
fn rule_4_parameter_removed_is_breaking() {
    let diff = diff(&[(SEARCH, "")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        LIST,
        "breaking",
        "[R4] parameter `search` (query): removed — the builder method `.search(..)` is removed",
    );
}

#[test]
fn rule_4_parameter_type_changed_is_breaking() {
    let diff = diff(&[(
        "schema: {type: integer, format: int64}\n        - name: search",
        "schema: {type: string}\n        - name: search",
    )]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        LIST,
        "breaking",
        "[R4] parameter `limit` (query): type changed from `integer (int64)` to `string` — the generated Rust type changes",
    );
}

#[test]
fn rule_4_parameter_location_changed_is_breaking() {
    let diff = diff(&[(SEARCH, &SEARCH.replace("in: query", "in: header"))]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        LIST,
        "breaking",
        "[R4] parameter `search` (header): moved from query to header — requests now carry it in the header; servers and mocks that read the query no longer see it",
    );
}

#[test]
fn rule_4_parameter_description_changed_is_compatible() {
    let diff = diff(&[(
        "How many playlists per page.",
        "Playlists per page, at most 100.",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        LIST,
        "compatible",
        "[C6] documentation changed (`description` of parameter `limit` (query)) — doc comments only; no Rust type changes",
    );
}

// Rule 5: a required request-body property added, or an optional one made required.

const CREATE_REQUIRED: &str = "      required: [name]\n";
const PINNED: &str = "        pinned: {type: boolean}\n";

#[test]
fn rule_5_required_request_property_added_is_breaking() {
    let diff = diff(&[
        (CREATE_REQUIRED, "      required: [name, folder]\n"),
        (
            PINNED,
            "        pinned: {type: boolean}\n        folder: {type: string}\n",
        ),
    ]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R5] request body `folder` (in `PlaylistCreate`): added (required) — every request must now send it: the Rust struct has a new field to fill",
    );
    diff.assert_bullet(
        "`PlaylistCreate`",
        "breaking",
        "[R5] `folder`: added (required) — every request must now send it: the Rust struct has a new field to fill",
    );
}

#[test]
fn rule_5_optional_request_property_added_is_compatible() {
    let diff = diff(&[(
        PINNED,
        "        pinned: {type: boolean}\n        folder: {type: string}\n",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        CREATE,
        "compatible",
        "[C1] request body `folder` (in `PlaylistCreate`): added (optional) — requests may leave it out (`None`)",
    );
}

#[test]
fn rule_5_optional_request_property_made_required_is_breaking() {
    let diff = diff(&[(CREATE_REQUIRED, "      required: [name, pinned]\n")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R5] request body `pinned` (in `PlaylistCreate`): made required — requests must now send it; the Rust field changes from `Option<T>` to `T`",
    );
}

#[test]
fn rule_5_nullable_request_property_made_required_is_breaking() {
    // The Rust field stays `Option<T>`, but the body builder now insists.
    let nullable = (
        "        description: {type: string}\n",
        "        description: {type: string, nullable: true}\n",
    );
    let old = edit(BASE, &[nullable]);
    let new = edit(
        &old,
        &[(CREATE_REQUIRED, "      required: [name, description]\n")],
    );
    let diff = diff_texts(&old, &new);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R5] request body `description` (in `PlaylistCreate`): made required — requests must now send it: the body builder fails without a value (the Rust field stays `Option<T>`)",
    );
}

// Rule 6: a request-body property removed or its type changed.

#[test]
fn rule_6_request_property_removed_is_breaking() {
    let diff = diff(&[(PINNED, "")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R6] request body `pinned` (in `PlaylistCreate`): removed — the Rust field is removed; code that sets it no longer compiles",
    );
}

#[test]
fn rule_6_request_property_type_changed_is_breaking() {
    let diff = diff(&[(PINNED, "        pinned: {type: string}\n")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R6] request body `pinned` (in `PlaylistCreate`): type changed from `boolean` to `string` — the generated Rust type changes",
    );
}

#[test]
fn rule_6_optional_request_property_made_nullable_is_compatible() {
    let diff = diff(&[(
        "        description: {type: string}\n",
        "        description: {type: string, nullable: true}\n",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        CREATE,
        "compatible",
        "[C7] request body `description` (in `PlaylistCreate`): made nullable — the Rust field stays `Option<T>`",
    );
}

// Rule 7: a response property removed, its type changed, or a required one
// made optional or nullable.

const NAME: &str =
    "        name: {type: string, nullable: true, description: The playlist's name.}\n";
const CREATED_AT: &str = "        created_at: {type: string, format: date-time}\n";
const PLAYLIST_REQUIRED: &str = "      required: [id, short_id, created_at]\n";

#[test]
fn rule_7_response_property_removed_is_breaking() {
    let diff = diff(&[(NAME, "")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R7] response 200 `name` (in `Playlist`): removed — the Rust field is removed; code that reads it no longer compiles",
    );
}

#[test]
fn rule_7_response_property_type_changed_is_breaking() {
    let diff = diff(&[(CREATED_AT, "        created_at: {type: string}\n")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R7] response 200 `created_at` (in `Playlist`): type changed from `string (date-time)` to `string` — the generated Rust type changes",
    );
}

#[test]
fn rule_7_required_response_property_made_optional_is_breaking() {
    let diff = diff(&[(PLAYLIST_REQUIRED, "      required: [id, short_id]\n")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R7] response 200 `created_at` (in `Playlist`): made optional — the Rust field changes from `T` to `Option<T>`",
    );
}

#[test]
fn rule_7_required_response_property_made_nullable_is_breaking() {
    let diff = diff(&[(
        CREATED_AT,
        "        created_at: {type: string, format: date-time, nullable: true}\n",
    )]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R7] response 200 `created_at` (in `Playlist`): made nullable — the Rust field changes from `T` to `Option<T>`",
    );
}

#[test]
fn rule_7_optional_response_property_made_required_is_breaking() {
    // Not in rule 7's list, but the Rust field changes all the same.
    let diff = diff(&[
        (
            PLAYLIST_REQUIRED,
            "      required: [id, short_id, created_at, name]\n",
        ),
        (
            NAME,
            "        name: {type: string, description: The playlist's name.}\n",
        ),
    ]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R7] response 200 `name` (in `Playlist`): made required and non-nullable — the Rust field changes from `Option<T>` to `T`",
    );
}

#[test]
fn rule_7_a_default_that_fills_a_response_field_in_is_breaking() {
    // The field was `Option<String>`; with a default it is `String`.
    let base_with_label = edit(
        BASE,
        &[(
            CREATED_AT,
            "        created_at: {type: string, format: date-time}\n        label: {type: string}\n",
        )],
    );
    let with_default = edit(
        BASE,
        &[(
            CREATED_AT,
            "        created_at: {type: string, format: date-time}\n        label: {type: string, default: none}\n",
        )],
    );
    let diff = diff_texts(&base_with_label, &with_default);
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R7] response 200 `label` (in `Playlist`): now filled in by its `default` — the Rust field changes from `Option<T>` to `T`",
    );
}

#[test]
fn rule_7_response_property_made_required_but_still_nullable_is_compatible() {
    let diff = diff(&[(
        PLAYLIST_REQUIRED,
        "      required: [id, short_id, created_at, name]\n",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        RETRIEVE,
        "compatible",
        "[C7] response 200 `name` (in `Playlist`): made required — the Rust field stays `Option<T>`",
    );
}

#[test]
fn rule_7_response_property_added_is_compatible() {
    let diff = diff(&[(NAME, &format!("{NAME}        pinned: {{type: boolean}}\n"))]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        RETRIEVE,
        "compatible",
        "[C1] response 200 `pinned` (in `Playlist`): added (optional) — a new `Option` field on the Rust struct; code reading the others is unaffected",
    );
}

// Rule 8: an enum value removed from a request enum; added to a response
// enum whose generated type is strict.

#[test]
fn rule_8_request_enum_value_removed_is_breaking() {
    let diff = diff(&[("enum: [private, public]", "enum: [private]")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R8] request body `visibility` (in `Visibility`): enum value `public` removed — requests can no longer send it; the Rust variant is removed",
    );
}

#[test]
fn rule_8_request_enum_value_added_is_compatible() {
    let diff = diff(&[("enum: [private, public]", "enum: [private, public, team]")]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        CREATE,
        "compatible",
        "[C2] request body `visibility` (in `Visibility`): enum value `team` added — a new Rust variant requests may send",
    );
}

#[test]
fn rule_8_strict_response_enum_value_added_is_breaking() {
    let diff = diff(&[(
        "enum: [active, archived]",
        "enum: [active, archived, deleted]",
    )]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        LIST,
        "breaking",
        "[R8] response 200 `results[].status` (in `Status`): enum value `deleted` added — the generated enum is strict: a response carrying `deleted` fails to parse",
    );
    diff.assert_bullet(
        "`Status`",
        "breaking",
        "[R8] enum value `deleted` added — the generated enum is strict: a response carrying `deleted` fails to parse",
    );
}

#[test]
fn rule_8_open_response_enum_value_added_is_compatible() {
    let diff = diff(&[(
        "enum: [collection, filters]",
        "enum: [collection, filters, smart]",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        LIST,
        "compatible",
        "[C2] response 200 `results[].type` (in `KnownPlaylistType`): enum value `smart` added — an open enum: the value parsed as `Other` before and gets a `Known` variant now",
    );
}

#[test]
fn rule_8_response_enum_value_removed_is_breaking() {
    let diff = diff(&[("enum: [active, archived]", "enum: [active]")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R8] response 200 `status` (in `Status`): enum value `archived` removed — the Rust variant is removed; code naming it no longer compiles",
    );
}

#[test]
fn rule_8_an_enum_value_renamed_is_breaking_in_the_headline() {
    // A rename is the old value removed and the new one added: the Rust
    // variant `Archived` goes, and a strict enum cannot read `retired`.
    let diff = diff(&[("enum: [active, archived]", "enum: [active, retired]")]);
    diff.assert_verdict("2 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R8] response 200 `status` (in `Status`): enum value `archived` removed — the Rust variant is removed; code naming it no longer compiles",
    );
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R8] response 200 `status` (in `Status`): enum value `retired` added — the generated enum is strict: a response carrying `retired` fails to parse",
    );
}

// Rule 9: a success status code or the response body's schema changed.

#[test]
fn rule_9_success_status_changed_is_breaking() {
    let diff = diff(&[("        '201':\n", "        '200':\n")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R9] responses: success status changed from `201` to `200` — `send()` now reports `201` as an unexpected response and succeeds on `200` only",
    );
}

#[test]
fn rule_9_response_body_schema_changed_is_breaking() {
    let retrieve_body = "          description: The playlist.\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Playlist'\n";
    let diff = diff(&[(
        retrieve_body,
        &retrieve_body.replace("/Playlist'", "/PlaylistPage'"),
    )]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R9] response 200: type changed from `Playlist` to `PlaylistPage` — the generated Rust type changes",
    );
}

#[test]
fn rule_9_error_status_added_is_compatible() {
    let unauthorized = "          $ref: '#/components/responses/Unauthorized'\ncomponents:\n";
    // `default` is an error status too: only 2xx are successes.
    for status in ["'404'", "default"] {
        let diff = diff(&[(
            unauthorized,
            &format!(
                "          $ref: '#/components/responses/Unauthorized'\n        {status}:\n          description: No such playlist.\ncomponents:\n"
            ),
        )]);
        diff.assert_verdict("0 breaking, 1 compatible change");
        diff.assert_bullet(
            RETRIEVE,
            "compatible",
            &format!(
                "[C3] responses: error status `{}` added — `send()` reports every error status alike, as `Error::Api`",
                status.trim_matches('\'')
            ),
        );
    }
}

#[test]
fn rule_9_error_body_field_removed_is_breaking_for_api_error_body() {
    let diff = diff(&[("        attr: {type: string, nullable: true}\n", "")]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R7] error response 401 `attr` (in `ErrorResponse`): removed — the Rust field is removed; code that reads it no longer compiles (error body, read through `ApiError::body()`)",
    );
}

// Rule 10: a component schema renamed.

#[test]
fn rule_10_component_schema_renamed_is_breaking() {
    let reference = |name| format!("$ref: '{}'", reading::schema_ref(name));
    let diff = diff(&[
        ("    Status:\n", "    PlaylistStatus:\n"),
        (&reference("Status"), &reference("PlaylistStatus")),
    ]);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        "`PlaylistStatus` (was `Status`)",
        "breaking",
        "[R10] renamed from `Status` — the Rust type `types::Status` is now `types::PlaylistStatus`",
    );
    diff.assert_bullet(
        LIST,
        "breaking",
        "[R10] response 200 `results[].status` (in `PlaylistStatus`): type `Status` renamed to `PlaylistStatus` — the Rust type `types::Status` is now `types::PlaylistStatus`",
    );
    assert!(
        !diff.markdown.contains("#### `Status`"),
        "{}",
        diff.markdown
    );
}

#[test]
fn rule_10_component_schema_added_is_compatible() {
    let diff = diff(&[(
        "    Visibility:\n",
        "    Folder:\n      type: object\n      properties:\n        path: {type: string}\n    Visibility:\n",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        "`Folder`",
        "compatible",
        "[C1] added — a new Rust type `types::Folder`",
    );
}

#[test]
fn rule_10_schema_replaced_by_a_different_one_is_removed_and_added() {
    let diff = diff(&[
        (
            "    Status:\n      type: string\n      enum: [active, archived]\n",
            "    State:\n      type: string\n      enum: [open, closed]\n",
        ),
        (
            "$ref: '#/components/schemas/Status'",
            "$ref: '#/components/schemas/State'",
        ),
    ]);
    diff.assert_bullet(
        "`Status`",
        "breaking",
        "[R10] removed — the Rust type `types::Status` is removed",
    );
    diff.assert_bullet(
        "`State`",
        "compatible",
        "[C1] added — a new Rust type `types::State`",
    );
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R7] response 200 `status` (in `Playlist`): type changed from `Status` to `State` — the generated Rust type changes",
    );
}

// Following `$ref`s: every operation, one schema entry, one count.

#[test]
fn a_change_in_a_shared_schema_shows_at_every_operation_and_counts_once() {
    let diff = diff(&[(PLAYLIST_REQUIRED, "      required: [id, short_id]\n")]);
    let why = "made optional — the Rust field changes from `T` to `Option<T>`";
    diff.assert_bullet(
        LIST,
        "breaking",
        &format!("[R7] response 200 `results[].created_at` (in `Playlist`): {why}"),
    );
    diff.assert_bullet(
        CREATE,
        "breaking",
        &format!("[R7] response 201 `created_at` (in `Playlist`): {why}"),
    );
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        &format!("[R7] response 200 `created_at` (in `Playlist`): {why}"),
    );
    diff.assert_bullet(
        "`Playlist`",
        "breaking",
        &format!("[R7] `created_at`: {why}"),
    );
    assert_eq!(diff.report.schemas.len(), 1, "{}", diff.markdown);
    assert_eq!(diff.report.count(Severity::Breaking), 1);
    diff.assert_verdict("1 breaking, 0 compatible changes");
}

#[test]
fn a_schema_used_by_requests_and_responses_is_judged_by_its_worst_use() {
    // `Visibility` is a request enum in the base; here responses use it too.
    let also_in_responses = (
        NAME,
        &*format!("{NAME}        visibility:\n          $ref: '#/components/schemas/Visibility'\n"),
    );
    let old = edit(BASE, &[also_in_responses]);
    let new = edit(
        &old,
        &[("enum: [private, public]", "enum: [private, public, team]")],
    );
    let diff = diff_texts(&old, &new);
    diff.assert_bullet(
        CREATE,
        "compatible",
        "[C2] request body `visibility` (in `Visibility`): enum value `team` added — a new Rust variant requests may send",
    );
    diff.assert_bullet(
        CREATE,
        "breaking",
        "[R8] response 201 `visibility` (in `Visibility`): enum value `team` added — the generated enum is strict: a response carrying `team` fails to parse",
    );
    diff.assert_bullet(
        "`Visibility`",
        "breaking",
        "[R8] enum value `team` added — the generated enum is strict: a response carrying `team` fails to parse",
    );
    diff.assert_verdict("1 breaking, 0 compatible changes");
}

#[test]
fn a_schema_no_operation_uses_is_judged_as_used_both_ways() {
    let unused = "    Visibility:\n";
    let with_unused = format!(
        "    Mode:\n      type: object\n      properties:\n        kind: {{type: string}}\n{unused}"
    );
    let old = edit(BASE, &[(unused, &with_unused)]);
    let new = edit(
        &old,
        &[(
            "        kind: {type: string}\n",
            "        kind: {type: string}\n        level: {type: integer}\n",
        )],
    );
    let diff = diff_texts(&old, &new);
    diff.assert_bullet(
        "`Mode`",
        "compatible",
        "[C1] `level`: added (optional) — requests may leave it out (`None`)",
    );
    let new = edit(
        &old,
        &[(
            "      properties:\n        kind: {type: string}\n",
            "      required: [kind]\n      properties:\n        kind: {type: string}\n",
        )],
    );
    let diff = diff_texts(&old, &new);
    diff.assert_bullet(
        "`Mode`",
        "breaking",
        "[R5] `kind`: made required — requests must now send it; the Rust field changes from `Option<T>` to `T`",
    );
}

// Rule 11: an operation made safe to repeat, so the client starts
// repeating it after failures that may have reached the server.

const CREATE_ID: &str = "      operationId: playlists_create\n";

fn create_declared(value: &str) -> String {
    edit(
        BASE,
        &[(
            CREATE_ID,
            &format!("{CREATE_ID}      x-idempotent: {value}\n"),
        )],
    )
}

#[test]
fn rule_11_a_post_made_safe_to_repeat_is_breaking() {
    for old in [BASE.to_owned(), create_declared("false")] {
        let diff = diff_texts(&old, &create_declared("true"));
        diff.assert_verdict("1 breaking, 0 compatible changes");
        let was = if old == BASE {
            "not safe to repeat (undeclared, as for any `POST`)"
        } else {
            "not safe to repeat (`x-idempotent: false`)"
        };
        diff.assert_bullet(
            CREATE,
            "breaking",
            &format!("[R11] changed from {was} to safe to repeat (`x-idempotent: true`) — the client now repeats it after a 5xx, a reset connection or a timeout, when PostHog may already have acted: confirm in PostHog's code that doing it twice is harmless"),
        );
    }
}

#[test]
fn rule_11_an_operation_made_unsafe_to_repeat_is_compatible() {
    let diff = diff_texts(&create_declared("true"), BASE);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        CREATE,
        "compatible",
        "[C5] changed from safe to repeat (`x-idempotent: true`) to not safe to repeat (undeclared, as for any `POST`) — the client no longer repeats it after a failure that may have reached PostHog; callers get the error, which says so",
    );
}

#[test]
fn rule_11_declaring_what_the_method_implies_is_compatible() {
    let diff = diff_texts(BASE, &create_declared("false"));
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        CREATE,
        "compatible",
        "[C5] changed from not safe to repeat (undeclared, as for any `POST`) to not safe to repeat (`x-idempotent: false`) — the client's retries are unchanged: the declaration states what the method implied",
    );
}

// R12 and C4: the scopes an operation needs. The generated code changes
// only its docs, but a key without an added scope gets 403.

/// `BASE` with `playlists_retrieve` requiring `scopes` of an API key.
fn retrieve_requiring(scopes: &str) -> String {
    edit(
        BASE,
        &[
            (
                "      operationId: playlists_retrieve\n",
                &format!(
                    "      operationId: playlists_retrieve\n      security:\n        - ApiKey: [{scopes}]\n"
                ),
            ),
            (
                "components:\n",
                "components:\n  securitySchemes:\n    ApiKey: {type: http, scheme: bearer}\n",
            ),
        ],
    )
}

#[test]
fn rule_12_a_scope_added_is_breaking_and_named() {
    let diff = diff_texts(
        &retrieve_requiring("'playlist:read'"),
        &retrieve_requiring("'playlist:read', 'playlist:write'"),
    );
    diff.assert_verdict("1 breaking, 0 compatible changes");
    diff.assert_bullet(
        RETRIEVE,
        "breaking",
        "[R12] security requirement changed from `[{\"ApiKey\":[\"playlist:read\"]}]` to `[{\"ApiKey\":[\"playlist:read\",\"playlist:write\"]}]` — callers' API keys now need `playlist:write`, and a key without it gets 403 where the call worked before",
    );
}

#[test]
fn a_scope_removed_asks_nothing_new_of_callers() {
    let diff = diff_texts(
        &retrieve_requiring("'playlist:read'"),
        &retrieve_requiring(""),
    );
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        RETRIEVE,
        "compatible",
        "[C4] security requirement changed from `[{\"ApiKey\":[\"playlist:read\"]}]` to `[{\"ApiKey\":[]}]` — no caller needs a scope it did not need before; the generated code changes only its docs",
    );
}

/// `BASE` with a spec-wide requirement of `scopes`, and `playlists_list`
/// declaring its own (so only the other operations inherit it).
fn spec_wide_requiring(scopes: &str) -> String {
    edit(
        BASE,
        &[
            (
                "components:\n",
                &format!(
                    "security:\n  - ApiKey: [{scopes}]\ncomponents:\n  securitySchemes:\n    ApiKey: {{type: http, scheme: bearer}}\n"
                ),
            ),
            (
                "      operationId: playlists_list\n",
                "      operationId: playlists_list\n      security:\n        - ApiKey: ['playlist:read']\n",
            ),
        ],
    )
}

#[test]
fn a_spec_wide_scope_change_is_reported_at_each_operation_that_inherits_it() {
    let diff = diff_texts(
        &spec_wide_requiring("'playlist:read'"),
        &spec_wide_requiring("'playlist:read', 'playlist:write'"),
    );
    let bullet = "[R12] security requirement changed from `[{\"ApiKey\":[\"playlist:read\"]}]` to `[{\"ApiKey\":[\"playlist:read\",\"playlist:write\"]}]` — callers' API keys now need `playlist:write`, and a key without it gets 403 where the call worked before";
    diff.assert_bullet(CREATE, "breaking", bullet);
    diff.assert_bullet(RETRIEVE, "breaking", bullet);
    // In the headline: one per operation that inherits it.
    diff.assert_verdict("2 breaking, 0 compatible changes");
    assert!(
        !diff.markdown.contains(LIST),
        "the operation with its own requirement is unaffected:\n{}",
        diff.markdown
    );
    assert!(
        !diff.markdown.contains("document metadata"),
        "not document metadata:\n{}",
        diff.markdown
    );
}

// Rule 13: a component schema's Rust type stops implementing a trait.

/// `BASE` with every property of `ErrorResponse` optional: its Rust struct
/// implements `Default`.
fn error_response_all_optional() -> String {
    edit(
        BASE,
        &[(
            "    ErrorResponse:\n      type: object\n      required: [detail]\n",
            "    ErrorResponse:\n      type: object\n",
        )],
    )
}

#[test]
fn rule_13_a_required_property_added_to_a_struct_with_default_is_breaking() {
    // The field is new, so no code reads it; but `ErrorResponse` is no
    // longer `Default`, and `ErrorResponse { ..Default::default() }` stops
    // compiling. Without R13 this was one compatible addition.
    let old = error_response_all_optional();
    let new = edit(
        &old,
        &[(
            "    ErrorResponse:\n      type: object\n      properties:\n",
            "    ErrorResponse:\n      type: object\n      required: [code]\n      properties:\n        code: {type: string}\n",
        )],
    );
    let diff = diff_texts(&old, &new);
    diff.assert_bullet(
        "`ErrorResponse`",
        "breaking",
        "[R13] no longer implements `Default` — `types::ErrorResponse::default()` and `..Default::default()` no longer compile",
    );
    diff.assert_bullet(
        "`ErrorResponse`",
        "compatible",
        "[C1] `code`: added (required) — a new field on the Rust struct; code reading the others is unaffected (error body, read through `ApiError::body()`)",
    );
    diff.assert_verdict("1 breaking, 1 compatible change");
}

#[test]
fn rule_13_a_strict_enum_made_a_struct_loses_its_traits_and_the_reverse_gains_them() {
    let strict = "    Status:\n      type: string\n      enum: [active, archived]\n";
    let object = "    Status:\n      type: object\n      required: [value]\n      properties:\n        value: {type: string}\n";
    let diff = diff(&[(strict, object)]);
    diff.assert_bullet(
        "`Status`",
        "breaking",
        "[R13] no longer implements `Copy`, `Eq`, `Hash`, `Ord`, `PartialOrd` — a value used twice is now moved the first time; it can no longer key a `HashMap` or `HashSet`; it can no longer key a `BTreeMap` or be sorted",
    );
    let diff = diff_texts(&edit(BASE, &[(strict, object)]), BASE);
    diff.assert_bullet(
        "`Status`",
        "compatible",
        "[C1] now implements `Copy`, `Eq`, `Hash`, `Ord`, `PartialOrd` — the Rust type gains trait implementations; nothing that compiled stops",
    );
    assert!(
        !diff.markdown.contains("[R13]"),
        "nothing lost:\n{}",
        diff.markdown
    );
}

// No change.

#[test]
fn identical_specs_say_there_is_no_change() {
    let diff = diff(&[]);
    assert!(diff.report.is_empty());
    diff.assert_verdict("0 breaking, 0 compatible changes");
    assert!(
        diff.markdown
            .contains("\nNo changes: both specs describe the same API.\n"),
        "{}",
        diff.markdown
    );
    assert!(!diff.markdown.contains("###"), "{}", diff.markdown);
}

#[test]
fn a_parameter_moved_to_its_path_item_is_no_change() {
    // Path-item parameters apply to every operation under the path, first.
    let diff = diff(&[(
        "  /api/projects/{project_id}/playlists/{short_id}/:\n    get:\n      operationId: playlists_retrieve\n      summary: Retrieve a playlist\n      parameters:\n        - $ref: '#/components/parameters/ProjectId'\n        - name: short_id\n          in: path\n          required: true\n          schema: {type: string}\n",
        "  /api/projects/{project_id}/playlists/{short_id}/:\n    parameters:\n      - name: short_id\n        in: path\n        required: true\n        schema: {type: string}\n    get:\n      operationId: playlists_retrieve\n      summary: Retrieve a playlist\n      parameters:\n        - $ref: '#/components/parameters/ProjectId'\n",
    )]);
    assert!(diff.report.is_empty(), "{}", diff.markdown);
}

#[test]
fn a_reformatted_spec_has_no_change() {
    // Same document, other YAML: block style instead of flow, other quotes.
    let diff = diff(&[
        (
            "          schema: {type: integer, format: int64}\n",
            "          schema:\n            type: integer\n            format: \"int64\"\n",
        ),
        (
            "      enum: [active, archived]\n",
            "      enum:\n        - active\n        - 'archived'\n",
        ),
    ]);
    assert!(diff.report.is_empty(), "{}", diff.markdown);
    diff.assert_verdict("0 breaking, 0 compatible changes");
}

#[test]
fn documentation_inside_a_schema_is_reported_once_under_the_schema() {
    let diff = diff(&[("The playlist's name.", "The playlist's display name.")]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        "`Playlist`",
        "compatible",
        "[C6] documentation changed (`description` of `name`) — doc comments only; no Rust type changes",
    );
    assert!(diff.report.operations.is_empty(), "{}", diff.markdown);
}

#[test]
fn shared_parameter_documentation_is_reported_once_in_the_document_section() {
    let diff = diff(&[(
        "description: The project's id.",
        "description: The id of the project.",
    )]);
    diff.assert_verdict("0 breaking, 1 compatible change");
    assert!(
        diff.markdown.contains(
            "### Document\n\n- **compatible** [C6] documentation of `#/components/parameters/ProjectId` changed — doc comments only; no Rust type changes\n"
        ),
        "{}",
        diff.markdown
    );
    assert!(diff.report.operations.is_empty(), "{}", diff.markdown);
}

// Shapes of the real spec: wrappers, recursion.

#[test]
fn the_workspace_spec_compared_with_itself_has_no_change() {
    let text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml"))
            .unwrap();
    let diff = diff_texts(&text, &text);
    assert!(diff.report.is_empty(), "{}", diff.markdown);
}

#[test]
fn a_nullable_all_of_wrapper_reads_as_its_reference() {
    // `{nullable: true, allOf: [$ref]}` is how a nullable reference is
    // written; the Rust field is `Option<Status>` either way while the
    // property is not required.
    let wrapped = "        status:\n          nullable: true\n          allOf:\n            - $ref: '#/components/schemas/Status'\n";
    let plain = "        status:\n          $ref: '#/components/schemas/Status'\n";
    let diff = diff_texts(&edit(BASE, &[(plain, wrapped)]), BASE);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        RETRIEVE,
        "compatible",
        "[C7] response 200 `status` (in `Playlist`): made non-nullable — the Rust field stays `Option<T>`",
    );
}

#[test]
fn a_recursive_schema_is_followed_once() {
    let parent =
        format!("{NAME}        parent:\n          $ref: '#/components/schemas/Playlist'\n");
    let old = edit(BASE, &[(NAME, &parent)]);
    let new = edit(&old, &[(NAME, "")]);
    let diff = diff_texts(&old, &new);
    diff.assert_verdict("1 breaking, 0 compatible changes");
    assert_eq!(
        diff.section(RETRIEVE),
        [
            "- **breaking** [R7] response 200 `name` (in `Playlist`): removed — the Rust field is removed; code that reads it no longer compiles"
        ]
    );
}

// `codegen::reading` decides these verdicts as it decides the generated
// client: change a rule, and a test here fails beside codegen's own.

#[test]
fn an_operation_added_under_each_method_is_one_compatible_change_each() {
    let item: String = reading::METHODS
        .iter()
        .map(|method| {
            format!("    {method}:\n      operationId: extra_{method}\n      responses:\n        '204':\n          description: Done.\n")
        })
        .collect();
    let new = edit(
        BASE,
        &[(
            "components:\n",
            &format!("  /api/extra/:\n{item}components:\n"),
        )],
    );
    let added = reading::count_operations(parse(&new).tree())
        - reading::count_operations(parse(BASE).tree());
    assert_eq!(added, reading::METHODS.len());
    let diff = diff_texts(BASE, &new);
    diff.assert_verdict(&format!("0 breaking, {added} compatible changes"));
    for method in reading::METHODS {
        diff.assert_bullet(
            &format!("`{} /api/extra/` (`extra_{method}`)", method.to_uppercase()),
            "compatible",
            &format!("[C1] operation added — new method `Client::extra_{method}`"),
        );
    }
}

#[test]
fn rule_8_an_open_enum_written_text_first_is_open_too() {
    let base = edit(
        BASE,
        &[(
            "        - $ref: '#/components/schemas/KnownPlaylistType'\n        - type: string\n",
            "        - type: string\n        - $ref: '#/components/schemas/KnownPlaylistType'\n",
        )],
    );
    let new = edit(
        &base,
        &[(
            "enum: [collection, filters]",
            "enum: [collection, filters, smart]",
        )],
    );
    let diff = diff_texts(&base, &new);
    diff.assert_verdict("0 breaking, 1 compatible change");
    diff.assert_bullet(
        LIST,
        "compatible",
        "[C2] response 200 `results[].type` (in `KnownPlaylistType`): enum value `smart` added — an open enum: the value parsed as `Other` before and gets a `Known` variant now",
    );
}

// The rules themselves.

#[test]
fn every_rule_has_a_unique_id_its_severity_and_a_line_in_the_crate_docs() {
    use spec_diff::{Rule, Severity};
    let docs = include_str!("../../src/lib.rs");
    let mut ids = std::collections::BTreeSet::new();
    for rule in Rule::ALL {
        let id = rule.id();
        assert!(ids.insert(id), "{id} is used twice");
        let expected = if id.starts_with('R') {
            Severity::Breaking
        } else {
            Severity::Compatible
        };
        assert_eq!(rule.severity(), expected, "{id}");
        assert!(
            docs.contains(&format!("//! - **{id}** ")),
            "{id} has no line in spec-diff's crate docs"
        );
    }
}
