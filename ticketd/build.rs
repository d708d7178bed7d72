//! Rebuild when a migration is added or changed: `sqlx::migrate!` embeds
//! the migration files, and cargo does not watch them by itself (this is
//! the build script sqlx's documentation recommends).
fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
