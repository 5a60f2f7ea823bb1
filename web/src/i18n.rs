//! Every word the app itself says, per locale, in one place. Docker's and
//! the shell's output stay English, as they are on a real machine; lesson
//! texts come with their own locales.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Locale {
    En,
    Ko,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::En, Locale::Ko];

    /// The lesson files' name for it (`en/`, `ko/`).
    pub fn code(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Ko => "ko",
        }
    }

    pub fn from_code(code: &str) -> Option<Locale> {
        Locale::ALL.into_iter().find(|l| l.code() == code)
    }

    /// Korean when the browser prefers it, else English.
    pub fn from_browser() -> Locale {
        let language = web_sys::window()
            .and_then(|w| w.navigator().language())
            .unwrap_or_default();
        if language.to_ascii_lowercase().starts_with("ko") {
            Locale::Ko
        } else {
            Locale::En
        }
    }

    pub fn words(self) -> &'static Words {
        match self {
            Locale::En => &EN,
            Locale::Ko => &KO,
        }
    }
}

#[derive(PartialEq, Eq)]
pub struct Words {
    /// The language's own name, for the switch.
    pub name: &'static str,
    pub tagline: &'static str,
    pub language: &'static str,
    pub lesson: &'static str,
    pub free_sandbox: &'static str,
    pub free_sandbox_text: &'static str,
    pub step: &'static str,
    pub step_done: &'static str,
    pub step_current: &'static str,
    pub step_ahead: &'static str,
    pub not_yet: &'static str,
    pub hint: &'static str,
    pub next_hint: &'static str,
    pub no_more_hints: &'static str,
    pub show_solution: &'static str,
    pub solution_warning: &'static str,
    pub solution_yes: &'static str,
    pub solution_no: &'static str,
    pub solution: &'static str,
    pub run: &'static str,
    pub copy: &'static str,
    pub lesson_complete: &'static str,
    pub restart_lesson: &'static str,
    pub restart_confirm: &'static str,
    pub fresh_host: &'static str,
    pub setup_failed: &'static str,
    pub undo: &'static str,
    pub nothing_to_undo: &'static str,
    pub reset: &'static str,
    pub reset_confirm: &'static str,
    pub reset_done: &'static str,
    pub share: &'static str,
    pub share_copied: &'static str,
    pub save_unreadable: &'static str,
    pub save_kept: &'static str,
    pub link_unreadable: &'static str,
    pub tab_lesson: &'static str,
    pub tab_terminal: &'static str,
    pub tab_host: &'static str,
    pub diagram_label: &'static str,
    pub diagram_empty: &'static str,
    pub diagram_text: &'static str,
    pub volumes: &'static str,
    pub networks: &'static str,
    pub keys_label: &'static str,
    pub speed: &'static str,
    pub skip: &'static str,
    pub api_calls: &'static str,
    pub api_calls_help: &'static str,
    pub editor_save: &'static str,
    pub editor_close: &'static str,
    pub editor_keys: &'static str,
    pub editor_saved: &'static str,
    pub editor_discard: &'static str,
    pub theme_light: &'static str,
    pub theme_dark: &'static str,
}

const EN: Words = Words {
    name: "English",
    tagline: "A Docker host in your browser tab. Nothing to install.",
    language: "Language",
    lesson: "Lesson",
    free_sandbox: "Free sandbox",
    free_sandbox_text: "No lesson: the terminal is yours. Try `docker run -d -p 8080:80 nginx`, then `curl localhost:8080`. Pick a lesson above to be guided step by step.",
    step: "Step",
    step_done: "done",
    step_current: "current step",
    step_ahead: "not yet",
    not_yet: "Not yet:",
    hint: "Hint",
    next_hint: "Show a hint",
    no_more_hints: "No more hints for this step.",
    show_solution: "Show the solution",
    solution_warning: "The reference solution gives this step away. Show it?",
    solution_yes: "Yes, show it",
    solution_no: "Not now",
    solution: "Reference solution",
    run: "Run",
    copy: "Copy",
    lesson_complete: "Lesson complete. Every step is done; the host stays as you left it.",
    restart_lesson: "Restart lesson",
    restart_confirm: "Start this lesson again on a fresh host? What you did on this host is lost.",
    fresh_host: "A fresh host for this lesson is ready.",
    setup_failed: "This lesson could not prepare its host:",
    undo: "Undo",
    nothing_to_undo: "undo: there is no command to take back.",
    reset: "Reset sandbox",
    reset_confirm: "Throw this sandbox away and start with a fresh host? Everything on it is lost.",
    reset_done: "# A fresh sandbox. The old one is gone.",
    share: "Share",
    share_copied: "# A link to this sandbox is in the address bar (and on the clipboard). Opening it replays everything done here.",
    save_unreadable: "# The saved sandbox could not be restored:",
    save_kept: "It was kept, not deleted, in",
    link_unreadable: "# This link's sandbox could not be opened:",
    tab_lesson: "Lesson",
    tab_terminal: "Terminal",
    tab_host: "Host",
    diagram_label: "The host: images as stacks of layers, containers on top of their images",
    diagram_empty: "No images and no containers yet. Pull an image or run a container and it appears here.",
    diagram_text: "Text view",
    volumes: "Volumes",
    networks: "Networks",
    keys_label: "Terminal keys",
    speed: "Speed of virtual time",
    skip: "Skip to the next event",
    api_calls: "API",
    api_calls_help: "Show the Engine API requests each docker command sends to the daemon",
    editor_save: "Save",
    editor_close: "Close",
    editor_keys: "Ctrl-S saves, Esc closes",
    editor_saved: "Saved",
    editor_discard: "Close without saving your changes?",
    theme_light: "Light",
    theme_dark: "Dark",
};

const KO: Words = Words {
    name: "한국어",
    tagline: "브라우저 탭 안의 Docker 호스트. 설치할 것이 없어요.",
    language: "언어",
    lesson: "레슨",
    free_sandbox: "자유 실습",
    free_sandbox_text: "레슨 없이 터미널을 마음대로 써 보세요. `docker run -d -p 8080:80 nginx`를 실행한 뒤 `curl localhost:8080`을 입력해 보세요. 위에서 레슨을 고르면 단계별로 안내해 드려요.",
    step: "단계",
    step_done: "완료",
    step_current: "진행 중",
    step_ahead: "아직",
    not_yet: "아직이에요:",
    hint: "힌트",
    next_hint: "힌트 보기",
    no_more_hints: "이 단계의 힌트는 여기까지예요.",
    show_solution: "모범 답안 보기",
    solution_warning: "모범 답안을 보면 이 단계의 답을 알게 돼요. 볼까요?",
    solution_yes: "네, 볼게요",
    solution_no: "나중에요",
    solution: "모범 답안",
    run: "실행",
    copy: "복사",
    lesson_complete: "레슨을 마쳤어요. 모든 단계를 끝냈고, 호스트는 지금 상태 그대로 남아 있어요.",
    restart_lesson: "레슨 다시 시작",
    restart_confirm: "새 호스트에서 이 레슨을 처음부터 다시 할까요? 지금 호스트에서 한 작업은 사라져요.",
    fresh_host: "이 레슨을 위한 새 호스트가 준비됐어요.",
    setup_failed: "이 레슨의 호스트를 준비하지 못했어요:",
    undo: "되돌리기",
    nothing_to_undo: "undo: 되돌릴 명령이 없어요.",
    reset: "샌드박스 초기화",
    reset_confirm: "이 샌드박스를 버리고 새 호스트로 시작할까요? 지금까지 한 작업은 모두 사라져요.",
    reset_done: "# 새 샌드박스예요. 이전 샌드박스는 지웠어요.",
    share: "공유",
    share_copied: "# 이 샌드박스의 링크가 주소창(과 클립보드)에 있어요. 링크를 열면 여기서 한 일을 그대로 다시 재현해요.",
    save_unreadable: "# 저장된 샌드박스를 복원하지 못했어요:",
    save_kept: "지우지 않고 다음 위치에 따로 보관해 두었어요:",
    link_unreadable: "# 이 링크의 샌드박스를 열지 못했어요:",
    tab_lesson: "레슨",
    tab_terminal: "터미널",
    tab_host: "호스트",
    diagram_label: "호스트: 레이어를 쌓은 이미지들과, 그 위에 올라간 컨테이너들",
    diagram_empty: "아직 이미지도 컨테이너도 없어요. 이미지를 받거나 컨테이너를 실행하면 여기에 나타나요.",
    diagram_text: "텍스트로 보기",
    volumes: "볼륨",
    networks: "네트워크",
    keys_label: "터미널 키",
    speed: "가상 시간의 속도",
    skip: "다음 일이 일어날 때까지 건너뛰기",
    api_calls: "API",
    api_calls_help: "docker 명령이 데몬에 보내는 Engine API 요청을 함께 보여 줘요",
    editor_save: "저장",
    editor_close: "닫기",
    editor_keys: "Ctrl-S 저장, Esc 닫기",
    editor_saved: "저장했어요",
    editor_discard: "저장하지 않은 내용이 있어요. 그래도 닫을까요?",
    theme_light: "밝게",
    theme_dark: "어둡게",
};
