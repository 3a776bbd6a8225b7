//! A checker for tests that a Czech screen holds no English sentence.

/// Common English words (none of them a Czech word too).
const ENGLISH: &str = "
    about add added after again all an and answer answered any are as at attempt attempts been
    before being business but can cannot case cancelled change changed choose chosen client clients
    compute configuration could count create created credentials currency data dead decided
    decision deleted did divided due edited error existing expect failed field fields fix for
    forgotten found from giving has have hour ignores in is it its keeps kept large later left
    limits line lines local low match matched missing more moved negative network new next normal
    not now of or order orders other owner phase price priority product products queued reached refused
    rejected removed request requests requested reset retry said says seen sent separately set
    should since skipped something status still store sync synced than that the their them then
    there they this timeout totals tried unavailable until up updated usable use was we were when
    which will with without would yet you your
";

/// The common English words in `text` (any case), except those in `allowed` (proper names)
/// and those inside codes — paths, field names, ids (`/api/orders/1`, `price.currencyCode`,
/// `reg_number`). Empty for a text with no English in it.
pub fn english_words(text: &str, allowed: &[&str]) -> Vec<String> {
    text.split_whitespace()
        .filter(|chunk| !is_code(chunk))
        .flat_map(|chunk| chunk.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .filter(|w| {
            ENGLISH.split_whitespace().any(|e| e == w) && !allowed.iter().any(|a| a.eq_ignore_ascii_case(w))
        })
        .collect()
}

/// A path, a field name, an id, an address: `/`, `_` or `@` in it, or a dot inside a name (a
/// name cut by `…` right after its dot counts too).
fn is_code(chunk: &str) -> bool {
    let c: Vec<char> = chunk.chars().collect();
    let name = |x: char| x.is_alphanumeric();
    chunk.contains(['/', '_', '@'])
        || c.windows(3).any(|w| w[1] == '.' && name(w[0]) && (name(w[2]) || w[2] == '…'))
}
