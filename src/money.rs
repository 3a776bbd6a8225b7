//! Amounts as shop owners read them: Czech grouping and a decimal comma.

use rust_decimal::Decimal;

/// `1 234,50`: Czech grouping and decimal comma, as shop owners read amounts.
pub fn money(d: Decimal) -> String {
    let s = format!("{:.2}", d.round_dp(2));
    let (int, frac) = s.split_once('.').unwrap_or((&s, "00"));
    let (sign, digits) = int.strip_prefix('-').map(|d| ("-", d)).unwrap_or(("", int));
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(' ');
        }
        grouped.push(c);
    }
    format!("{sign}{grouped},{frac}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn money_reads_the_czech_way() {
        use rust_decimal::Decimal;
        assert_eq!(super::money("1234.5".parse::<Decimal>().unwrap()), "1 234,50");
        assert_eq!(super::money("-82.64".parse::<Decimal>().unwrap()), "-82,64");
        assert_eq!(super::money("1234567".parse::<Decimal>().unwrap()), "1 234 567,00");
    }
}
