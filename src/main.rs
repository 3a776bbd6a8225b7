fn main() {
    println!("shoptet-raynet-sync: under construction");
}
