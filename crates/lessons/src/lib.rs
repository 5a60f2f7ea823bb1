//! Lessons are markdown files with front matter and checked steps. The model
//! lands with the lessons issue; this crate exists now so the workspace has
//! its final shape and the front ends can depend on it.
