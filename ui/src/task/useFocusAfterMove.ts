import { useEffect, useRef } from "react";

/**
 * Keeps keyboard focus on an item's move buttons after it moves. React moves DOM nodes
 * when a list is reordered, and a moved node loses focus, which would send a keyboard
 * user back to the top of the page after each press.
 *
 * Buttons opt in with `data-move-key` (the item's key) and `data-move` ("up" or "down").
 */
export function useFocusAfterMove<T extends HTMLElement>() {
  const container = useRef<T>(null);
  const pending = useRef<{ key: string; direction: "up" | "down" } | null>(null);

  // Runs after every render: the move shows up once the parent passes the new list back.
  useEffect(() => {
    const wanted = pending.current;
    if (!wanted || !container.current) return;
    // Compared through dataset, not a selector: keys may be column names with quotes in them.
    const buttons = Array.from(container.current.querySelectorAll<HTMLButtonElement>("[data-move-key]")).filter(
      (button) => button.dataset.moveKey === wanted.key,
    );
    const byDirection = (direction: string) => buttons.find((button) => button.dataset.move === direction);
    const other = wanted.direction === "up" ? "down" : "up";
    const target = [byDirection(wanted.direction), byDirection(other)].find((button) => button && !button.disabled);
    if (target) {
      pending.current = null;
      target.focus();
    }
  });

  return {
    container,
    /** Call before asking the parent to move the item `key`. */
    refocus: (key: string, direction: "up" | "down") => {
      pending.current = { key, direction };
    },
  };
}
