//! The action buttons step, after the agent's answer: the active group whose trigger the
//! visitor's message matches (the built-in action matcher over the group's name, trigger and
//! example phrases, or the model with the groups as tools), at most one per reply, shown
//! under the reply.

use std::time::Instant;

use super::*;
use crate::chat::model::{ButtonGroup, ButtonView};
use crate::engine::{ActionChoice, ActionChoiceInput, ActionSpec};

/// A tool-safe name for a group (`pricing`, `book_a_demo`).
fn slug(name: &str, i: usize) -> String {
    let s: String = name
        .to_lowercase()
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    let s = s.trim_matches('_').to_owned();
    if s.is_empty() {
        format!("buttons_{i}")
    } else {
        s.chars().take(60).collect()
    }
}

impl Baton {
    pub(super) async fn buttons_after_reply(
        &self,
        run: &mut Run,
        at: &Turning<'_>,
        groups: &[ButtonGroup],
    ) {
        let active: Vec<&ButtonGroup> = groups.iter().filter(|g| g.active).collect();
        let replying = matches!(run.events.last(), Some(VisitorEvent::Reply { .. }))
            && run.state.status == Status::Ai
            && !run.handoff;
        if active.is_empty() || !replying || at.text.trim().is_empty() {
            return;
        }
        let t = Instant::now();
        let names: Vec<String> = active
            .iter()
            .enumerate()
            .map(|(i, g)| slug(&g.name, i))
            .collect();
        let specs: Vec<ActionSpec<'_>> = active
            .iter()
            .zip(&names)
            .map(|(g, name)| ActionSpec {
                name,
                description: &g.trigger,
                when_not_to_use: "",
                examples: &g.examples,
                parameters: &[],
            })
            .collect();
        let chosen = run
            .engine
            .choose_action(&ActionChoiceInput {
                actions: &specs,
                history: at.history,
                message: at.text,
                language: run.state.language.as_deref(),
            })
            .await;
        if let Some(why) = &chosen.fallback {
            run.rule(
                "buttons",
                "fallback",
                format!("the model's button choice was not used: {why}"),
                t,
            );
        }
        let ActionChoice::Call {
            index,
            reason,
            held_back: None,
            ..
        } = chosen.value
        else {
            return;
        };
        let g = active[index];
        let buttons = g
            .buttons
            .iter()
            .enumerate()
            .map(|(i, b)| ButtonView {
                index: i as u32,
                label: b.label.clone(),
                url: b.url.clone(),
                icon_url: b.icon.as_deref().map(crate::chat::icons::url),
            })
            .collect();
        let latency = t.elapsed().as_micros().min(i64::MAX as u128) as i64;
        run.record(
            "buttons",
            "shown",
            // The matcher speaks of actions (it is theirs); here the group is named already.
            format!(
                "'{}': {}",
                g.name,
                reason
                    .replace(&format!(" of action '{}'", names[index]), "")
                    .replace(
                        &format!("what action '{}' does", names[index]),
                        "what it is for"
                    )
            ),
            &chosen.engine,
            latency,
        );
        run.events.push(VisitorEvent::Buttons {
            group_id: g.id.clone(),
            buttons,
        });
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn slugs_are_tool_names() {
        assert_eq!(super::slug("Book a demo!", 0), "book_a_demo");
        assert_eq!(super::slug("💰", 3), "buttons_3");
    }
}
