"""SageMaker jobs besides training: AutoML, compilation, edge packaging, hyperparameter tuning,
inference recommendations, labeling, processing and transform jobs.

Each is read from its list call (one ``ListTags`` per job). Only compilation, tuning and processing
jobs can be deleted; the others can only be stopped, which is not a deletion.
"""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from resoto_plugin_aws.services.sagemaker import AwsSagemakerJob, listed
from resoto_plugin_aws.spec import Link, arn_last, arn_name


class AwsSagemakerAutoMLJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_auto_ml_job"
    deletable: ClassVar[bool] = False
    auto_ml_job_status: str | None = None
    auto_ml_job_secondary_status: str | None = None
    auto_ml_job_end_time: datetime | None = None
    auto_ml_job_failure_reason: str | None = None


class AwsSagemakerCompilationJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_compilation_job"
    compilation_job_status: str | None = None
    compilation_target_device: str | None = None
    compilation_target_platform_os: str | None = None
    compilation_target_platform_arch: str | None = None
    compilation_end_time: datetime | None = None


class AwsSagemakerEdgePackagingJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_edge_packaging_job"
    deletable: ClassVar[bool] = False
    edge_packaging_job_status: str | None = None
    compilation_job_name: str | None = None
    model_name: str | None = None
    model_version: str | None = None


class AwsSagemakerHyperParameterTuningJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_hyper_parameter_tuning_job"
    hyper_parameter_tuning_job_status: str | None = None
    tuning_strategy: str | None = None
    tuning_end_time: datetime | None = None
    tuning_max_training_jobs: int | None = None
    tuning_completed_training_jobs: int | None = None


class AwsSagemakerInferenceRecommendationsJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_inference_recommendations_job"
    deletable: ClassVar[bool] = False
    recommendations_job_status: str | None = None
    recommendations_job_type: str | None = None
    recommendations_job_description: str | None = None
    role_arn: str | None = None
    model_name: str | None = None
    completion_time: datetime | None = None


class AwsSagemakerLabelingJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_labeling_job"
    deletable: ClassVar[bool] = False
    labeling_job_status: str | None = None
    workteam_arn: str | None = None
    labeled_total: int | None = None
    unlabeled_total: int | None = None
    output_dataset_s3_uri: str | None = None


class AwsSagemakerProcessingJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_processing_job"
    processing_job_status: str | None = None
    processing_end_time: datetime | None = None
    processing_exit_message: str | None = None


class AwsSagemakerTransformJob(AwsSagemakerJob):
    kind: ClassVar[str] = "aws_sagemaker_transform_job"
    deletable: ClassVar[bool] = False
    transform_job_status: str | None = None
    transform_end_time: datetime | None = None


KINDS = [
    listed(
        AwsSagemakerAutoMLJob,
        "ListAutoMLJobs",
        "AutoMLJobSummaries[]",
        "AutoMLJobName",
        "AutoMLJobArn",
        get="DescribeAutoMLJobV2",  # describes jobs of both CreateAutoMLJob and V2
        fields={
            "mtime": "LastModifiedTime",
            "auto_ml_job_status": "AutoMLJobStatus",
            "auto_ml_job_secondary_status": "AutoMLJobSecondaryStatus",
            "auto_ml_job_end_time": "EndTime",
            "auto_ml_job_failure_reason": "FailureReason",
        },
    ),
    listed(
        AwsSagemakerCompilationJob,
        "ListCompilationJobs",
        "CompilationJobSummaries[]",
        "CompilationJobName",
        "CompilationJobArn",
        get="DescribeCompilationJob",
        delete="DeleteCompilationJob",
        fields={
            "mtime": "LastModifiedTime",
            "compilation_job_status": "CompilationJobStatus",
            "compilation_target_device": "CompilationTargetDevice",
            "compilation_target_platform_os": "CompilationTargetPlatformOs",
            "compilation_target_platform_arch": "CompilationTargetPlatformArch",
            "compilation_end_time": "CompilationEndTime",
        },
    ),
    listed(
        AwsSagemakerEdgePackagingJob,
        "ListEdgePackagingJobs",
        "EdgePackagingJobSummaries[]",
        "EdgePackagingJobName",
        "EdgePackagingJobArn",
        get="DescribeEdgePackagingJob",
        fields={
            "mtime": "LastModifiedTime",
            "edge_packaging_job_status": "EdgePackagingJobStatus",
            "compilation_job_name": "CompilationJobName",
            "model_name": "ModelName",
            "model_version": "ModelVersion",
        },
        links=(
            Link("aws_sagemaker_compilation_job", "CompilationJobName"),
            Link("aws_sagemaker_model", "ModelName"),
        ),
    ),
    listed(
        AwsSagemakerHyperParameterTuningJob,
        "ListHyperParameterTuningJobs",
        "HyperParameterTuningJobSummaries[]",
        "HyperParameterTuningJobName",
        "HyperParameterTuningJobArn",
        get="DescribeHyperParameterTuningJob",
        delete="DeleteHyperParameterTuningJob",
        fields={
            "mtime": "LastModifiedTime",
            "hyper_parameter_tuning_job_status": "HyperParameterTuningJobStatus",
            "tuning_strategy": "Strategy",
            "tuning_end_time": "HyperParameterTuningEndTime",
            "tuning_max_training_jobs": "ResourceLimits.MaxNumberOfTrainingJobs",
            "tuning_completed_training_jobs": "TrainingJobStatusCounters.Completed",
        },
    ),
    listed(
        AwsSagemakerInferenceRecommendationsJob,
        "ListInferenceRecommendationsJobs",
        "InferenceRecommendationsJobs[]",
        "JobName",
        "JobArn",
        get="DescribeInferenceRecommendationsJob",
        fields={
            "mtime": "LastModifiedTime",
            "recommendations_job_status": "Status",
            "recommendations_job_type": "JobType",
            "recommendations_job_description": "JobDescription",
            "role_arn": "RoleArn",
            "model_name": "ModelName",
            "completion_time": "CompletionTime",
        },
        links=(
            Link("aws_sagemaker_model", "ModelName"),
            Link("aws_iam_role", "RoleArn", to_id=arn_name, global_=True),
        ),
    ),
    listed(
        AwsSagemakerLabelingJob,
        "ListLabelingJobs",
        "LabelingJobSummaryList[]",
        "LabelingJobName",
        "LabelingJobArn",
        get="DescribeLabelingJob",
        fields={
            "mtime": "LastModifiedTime",
            "labeling_job_status": "LabelingJobStatus",
            "workteam_arn": "WorkteamArn",
            "labeled_total": "LabelCounters.TotalLabeled",
            "unlabeled_total": "LabelCounters.Unlabeled",
            "output_dataset_s3_uri": "LabelingJobOutput.OutputDatasetS3Uri",
        },
        links=(
            Link("aws_sagemaker_workteam", "WorkteamArn", to_id=arn_name),
            Link("aws_lambda_function", "PreHumanTaskLambdaArn", default="out", to_id=arn_last),
            Link("aws_lambda_function", "AnnotationConsolidationLambdaArn", default="out", to_id=arn_last),
        ),
    ),
    listed(
        AwsSagemakerProcessingJob,
        "ListProcessingJobs",
        "ProcessingJobSummaries[]",
        "ProcessingJobName",
        "ProcessingJobArn",
        get="DescribeProcessingJob",
        delete="DeleteProcessingJob",
        fields={
            "mtime": "LastModifiedTime",
            "processing_job_status": "ProcessingJobStatus",
            "processing_end_time": "ProcessingEndTime",
            "processing_exit_message": "ExitMessage",
        },
    ),
    listed(
        AwsSagemakerTransformJob,
        "ListTransformJobs",
        "TransformJobSummaries[]",
        "TransformJobName",
        "TransformJobArn",
        get="DescribeTransformJob",
        fields={
            "mtime": "LastModifiedTime",
            "transform_job_status": "TransformJobStatus",
            "transform_end_time": "TransformEndTime",
        },
    ),
]
