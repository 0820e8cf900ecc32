import { RangeFilterField } from "./RangeFilterField";
import { SelectFilterField } from "./SelectFilterField";
import type { AudienceFilter, FilterOption } from "./settings";

/** One filter's field, by its kind. */
export function FilterField({
  option,
  filter,
  onChange,
  autoFocus,
}: {
  option: FilterOption;
  filter: AudienceFilter | null;
  onChange: (filter: AudienceFilter) => void;
  autoFocus?: boolean;
}) {
  return option.kind === "select" ? (
    <SelectFilterField
      option={option}
      filter={filter?.kind === "select" ? filter : null}
      onChange={onChange}
      autoFocus={autoFocus}
    />
  ) : (
    <RangeFilterField
      option={option}
      filter={filter?.kind === "range" ? filter : null}
      onChange={onChange}
      autoFocus={autoFocus}
    />
  );
}
