/**
 * The Milky protocol's typed definitions, from `@saltify/milky-types` (types only: nothing of it
 * runs in cqhttpd).
 */
export type {
  FriendEntity, GetFriendListOutput, GetGroupInfoOutput, GetGroupListOutput, GetGroupMemberInfoOutput, GetGroupMemberListOutput,
  GetLoginInfoOutput, GetMessageInput, GetMessageOutput, GetUserProfileInput, GetUserProfileOutput, GroupEntity, GroupMemberEntity,
  QuitGroupInput, RecallGroupMessageInput, RecallPrivateMessageInput, SendGroupMessageOutput, SendPrivateMessageOutput,
  SetGroupMemberCardInput, SetGroupMemberSpecialTitleInput, SetGroupNameInput,
} from '@saltify/milky-types';
