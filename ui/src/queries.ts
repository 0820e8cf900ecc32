/** TanStack Query hooks for everything that comes from Rust, keyed in one place. */
import { useQuery } from "@tanstack/react-query";

import { backend, type BackendError } from "./backend";

export const queryKeys = {
  appInfo: ["app-info"] as const,
};

export function useAppInfo() {
  return useQuery<Awaited<ReturnType<typeof backend.appInfo>>, BackendError>({
    queryKey: queryKeys.appInfo,
    queryFn: backend.appInfo,
    staleTime: Infinity,
  });
}
