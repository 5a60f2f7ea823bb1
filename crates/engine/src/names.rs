//! Container names the way dockerd picks them: `adjective_surname`, drawn
//! from the host's seeded RNG, with the same collision rules as moby's
//! `namesgenerator` and `daemon/names.go`.

use crate::rng::Rng;

const LEFT: &str = "admiring adoring affectionate agitated amazing angry awesome beautiful \
blissful bold boring brave busy charming clever compassionate competent condescending \
confident cool cranky crazy dazzling determined distracted dreamy eager ecstatic elastic \
elated elegant eloquent epic exciting fervent festive flamboyant focused friendly frosty \
funny gallant gifted goofy gracious great happy hardcore heuristic hopeful hungry infallible \
inspiring intelligent interesting jolly jovial keen kind laughing loving lucid magical modest \
musing mystifying naughty nervous nice nifty nostalgic objective optimistic peaceful pedantic \
pensive practical priceless quirky quizzical recursing relaxed reverent romantic sad serene \
sharp silly sleepy stoic strange stupefied suspicious sweet tender thirsty trusting unruffled \
upbeat vibrant vigilant vigorous wizardly wonderful xenodochial youthful zealous zen";

const RIGHT: &str = "agnesi albattani allen almeida antonelli archimedes ardinghelli aryabhata \
austin babbage banach banzai bardeen bartik bassi beaver bell benz bhabha bhaskara black \
blackburn blackwell bohr booth borg bose bouman boyd brahmagupta brattain brown buck burnell \
cannon carson cartwright carver cerf chandrasekhar chaplygin chatelet chatterjee chaum \
chebyshev clarke cohen colden cori cray curie curran darwin davinci dewdney dhawan diffie \
dijkstra dirac driscoll dubinsky easley edison einstein elbakyan elgamal elion ellis \
engelbart euclid euler faraday feistel fermat fermi feynman franklin gagarin galileo galois \
ganguly gates gauss germain goldberg goldstine goldwasser golick goodall gould greider \
grothendieck haibt hamilton haslett hawking heisenberg hellman hermann herschel hertz \
heyrovsky hodgkin hofstadter hoover hopper hugle hypatia ishizaka jackson jang jemison \
jennings jepsen johnson joliot jones kalam kapitsa kare keldysh keller kepler khayyam \
khorana kilby kirch knuth kowalevski lalande lamarr lamport leakey leavitt lederberg lehmann \
lewin lichterman liskov lovelace lumiere mahavira margulis matsumoto maxwell mayer mccarthy \
mcclintock mclaren mclean mcnulty meitner mendel mendeleev meninsky merkle mestorf \
mirzakhani montalcini moore morse moser murdock napier nash neumann newton nightingale nobel \
noether northcutt noyce panini pare pascal pasteur payne perlman pike poincare poitras \
proskuriakova ptolemy raman ramanujan rhodes ride ritchie robinson roentgen rosalind rubin \
saha sammet sanderson satoshi shamir shannon shaw shirley shockley shtern sinoussi snyder \
solomon spence stonebraker sutherland swanson swartz swirles taussig tesla tharp thompson \
torvalds tu turing varahamihira vaughan villani visvesvaraya volhard wescoff wilbur wiles \
williams williamson wilson wing wozniak wright wu yalow yonath zhukovsky";

/// One random name; `retry` > 0 appends a digit, as moby does on collisions.
fn candidate(rng: &mut Rng, retry: u32) -> String {
    let left: Vec<&str> = LEFT.split_whitespace().collect();
    let right: Vec<&str> = RIGHT.split_whitespace().collect();
    loop {
        let l = left[rng.below(left.len() as u64) as usize];
        let r = right[rng.below(right.len() as u64) as usize];
        let name = format!("{l}_{r}");
        // Steve Wozniak is not boring.
        if name == "boring_wozniak" {
            continue;
        }
        if retry > 0 {
            return format!("{name}{}", rng.below(10));
        }
        return name;
    }
}

/// Picks a free name: six tries (the last five with a digit), then the
/// container's short id, exactly as `daemon/names.go` falls back.
pub fn generate(rng: &mut Rng, short_id: &str, taken: impl Fn(&str) -> bool) -> String {
    for retry in 0..6 {
        let name = candidate(rng, retry);
        if !taken(&name) {
            return name;
        }
    }
    short_id.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_have_the_docker_shape() {
        let mut rng = Rng::new(3);
        for _ in 0..200 {
            let n = generate(&mut rng, "abc", |_| false);
            let (l, r) = n.split_once('_').unwrap();
            assert!(LEFT.split_whitespace().any(|x| x == l));
            assert!(RIGHT.split_whitespace().any(|x| x == r));
        }
    }

    #[test]
    fn collisions_add_a_digit_then_fall_back_to_the_id() {
        let mut rng = Rng::new(3);
        let first = generate(&mut rng, "abc", |_| false);
        let mut rng = Rng::new(3);
        let second = generate(&mut rng, "abc", |n| n == first);
        assert!(second.chars().last().unwrap().is_ascii_digit());
        assert_eq!(generate(&mut rng, "0123456789ab", |_| true), "0123456789ab");
    }
}
