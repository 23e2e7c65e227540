/**
 * The Milky protocol's typed definitions, from `@saltify/milky-types` (types only: nothing of it
 * runs in cqhttpd).
 */
export type {
  FriendEntity, GetFriendListOutput, GetGroupInfoOutput, GetGroupListOutput, GetGroupMemberInfoOutput, GetGroupMemberListOutput,
  GetLoginInfoOutput, GetMessageInput, GetResourceTempUrlInput, GetResourceTempUrlOutput, GetMessageOutput, GetUserProfileInput, GetUserProfileOutput, GroupEntity, GroupMemberEntity,
  QuitGroupInput, RecallGroupMessageInput, RecallPrivateMessageInput, SendGroupMessageOutput, SendPrivateMessageOutput,
  SetGroupMemberCardInput, SetGroupMemberSpecialTitleInput, SetGroupNameInput,
  CreateGroupFolderInput, CreateGroupFolderOutput, DeleteGroupFileInput, DeleteGroupFolderInput, GetForwardedMessagesInput, GetForwardedMessagesOutput,
  GetGroupAnnouncementsInput, GetGroupAnnouncementsOutput, GetGroupEssenceMessagesInput, GetGroupEssenceMessagesOutput, GetGroupFileDownloadUrlInput,
  GetGroupFileDownloadUrlOutput, GetGroupFilesInput, GetGroupFilesOutput, GetGroupNotificationsInput, GetGroupNotificationsOutput, GetHistoryMessagesInput,
  GetHistoryMessagesOutput, GetCookiesInput, GetCookiesOutput, GetCSRFTokenOutput, GroupFileEntity, GroupFolderEntity, GroupNotification, MarkMessageAsReadInput,
  SendGroupAnnouncementInput, SetBioInput, SetGroupAvatarInput, SetNicknameInput, UploadGroupFileInput, UploadGroupFileOutput, UploadPrivateFileInput,
  UploadPrivateFileOutput,
} from '@saltify/milky-types';
